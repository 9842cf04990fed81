package io.chanalytics.simulator.config;

/**
 * A configuration problem found before any load is sent. The message always starts with the YAML key at fault
 * (for example {@code user_types[1].requests_per_session}) so the user knows where to look.
 */
public class ConfigException extends RuntimeException {

    private final String key;

    public ConfigException(String key, String problem) {
        super(key + ": " + problem);
        this.key = key;
    }

    public String key() {
        return key;
    }

    /** A number as the user would write it in the YAML: {@code 5}, not {@code 5.0}. */
    static String format(Number number) {
        double value = number.doubleValue();
        return value == Math.rint(value) && !Double.isInfinite(value) ? Long.toString((long) value) : number.toString();
    }
}
