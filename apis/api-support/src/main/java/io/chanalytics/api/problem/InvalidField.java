package io.chanalytics.api.problem;

/** One offending input named in a problem's {@code errors} list: a body field, query parameter, path variable or header. */
public record InvalidField(String field, String message) {}
