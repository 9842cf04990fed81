package io.chanalytics.simulator.endpoints;

/** The two things request bodies need: an id written back as it came, and a safely quoted string. */
final class Json {

    private Json() {}

    /** A number stays a number, anything else becomes a JSON string. */
    static String id(String id) {
        return id.matches("-?\\d+") ? id : string(id);
    }

    static String string(String text) {
        StringBuilder quoted = new StringBuilder("\"");
        for (char character : text.toCharArray()) {
            switch (character) {
                case '"' -> quoted.append("\\\"");
                case '\\' -> quoted.append("\\\\");
                case '\n' -> quoted.append("\\n");
                case '\r' -> quoted.append("\\r");
                case '\t' -> quoted.append("\\t");
                default -> {
                    if (character < 0x20) {
                        quoted.append(String.format("\\u%04x", (int) character));
                    } else {
                        quoted.append(character);
                    }
                }
            }
        }
        return quoted.append('"').toString();
    }
}
