package io.chanalytics.stack.monitoring;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A page in Prometheus's text exposition format (version 0.0.4), what the stack's own metrics endpoints answer: each
 * family's {@code # HELP} and {@code # TYPE} lines, then its samples.
 */
public final class Exposition {

    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final StringBuilder text = new StringBuilder();

    /** Starts a family: {@code type} is {@code counter} or {@code gauge}. */
    public Exposition family(String name, String type, String help) {
        text.append("# HELP ")
                .append(name)
                .append(' ')
                .append(help.replace("\\", "\\\\").replace("\n", " "))
                .append('\n');
        text.append("# TYPE ").append(name).append(' ').append(type).append('\n');
        return this;
    }

    public Exposition sample(String name, Map<String, String> labels, Number value) {
        text.append(name);
        if (!labels.isEmpty()) {
            text.append(labels.entrySet().stream()
                    .map(label -> label.getKey() + "=\"" + escapeLabel(label.getValue()) + '"')
                    .collect(Collectors.joining(",", "{", "}")));
        }
        text.append(' ').append(value).append('\n');
        return this;
    }

    public Exposition sample(String name, Number value) {
        return sample(name, Map.of(), value);
    }

    /**
     * The name ClickHouse's server gives a metric in its handler (PrometheusMetricsWriter): every character outside
     * {@code [a-zA-Z0-9_:]} becomes {@code _}, and leading non-letters are dropped.
     */
    public static String metricName(String name) {
        return name.replaceAll("[^a-zA-Z0-9_:]", "_").replaceFirst("^[^a-zA-Z]*", "");
    }

    private static String escapeLabel(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }

    public byte[] bytes() {
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return text.toString();
    }
}
