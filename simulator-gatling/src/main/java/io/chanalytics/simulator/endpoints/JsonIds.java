package io.chanalytics.simulator.endpoints;

/** Writes an id read from a response back into a JSON body as it came: a number stays a number, text is quoted. */
final class JsonIds {

    private JsonIds() {}

    static String literal(String id) {
        return id.matches("-?\\d+") ? id : "\"" + id.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
