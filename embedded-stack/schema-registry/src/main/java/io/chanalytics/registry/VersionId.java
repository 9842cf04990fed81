package io.chanalytics.registry;

/** A version in a path: a number from 1, or {@code latest} (also {@code -1}), as Confluent reads it. */
record VersionId(boolean latest, int number) {

    static final VersionId LATEST = new VersionId(true, -1);

    static VersionId parse(String text) {
        String value = text.strip();
        if (value.equalsIgnoreCase("latest")) {
            return LATEST;
        }
        try {
            int number = Integer.parseInt(value);
            if (number == -1) {
                return LATEST;
            }
            if (number > 0) {
                return new VersionId(false, number);
            }
        } catch (NumberFormatException e) {
            // answered below, as for a number out of range
        }
        throw RegistryException.invalidVersion(text);
    }
}
