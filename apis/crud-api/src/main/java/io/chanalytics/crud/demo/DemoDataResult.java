package io.chanalytics.crud.demo;

/** What a generation call did: rows already present (same seed, same index) are skipped, not duplicated. */
public record DemoDataResult(String kind, int requested, long created, long seed) {}
