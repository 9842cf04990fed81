package io.chanalytics.clickhouse;

import java.util.LinkedHashMap;
import java.util.Map;
import org.w3c.dom.Element;

/**
 * The limits of ClickHouse's read-only profile as the server reads them from {@code clickhouse/docker/users.d/grafana.xml}
 * (compose mounts that file into the server's {@code users.d}; the build puts it on the classpath): the settings of
 * profile {@code grafana_readonly}, and the upper bound its constraints allow for each. The embedded HTTP interface
 * opens its reader sessions with these, so a reader is bounded alike in both modes.
 */
public record ReaderProfile(Map<String, String> settings, Map<String, String> maxima) {

    public static final String RESOURCE = "/clickhouse/users.d/grafana.xml";
    public static final String PROFILE = "grafana_readonly";

    public static ReaderProfile fromClasspath() {
        Element profile = ProfileFile.profile(RESOURCE, PROFILE);
        Map<String, String> settings = new LinkedHashMap<>();
        Map<String, String> maxima = new LinkedHashMap<>();
        for (Element setting : ProfileFile.children(profile)) {
            if (setting.getTagName().equals("constraints")) {
                for (Element constrained : ProfileFile.children(setting)) {
                    for (Element bound : ProfileFile.children(constrained)) {
                        if (bound.getTagName().equals("max")) {
                            maxima.put(
                                    constrained.getTagName(),
                                    bound.getTextContent().strip());
                        }
                    }
                }
            } else {
                settings.put(setting.getTagName(), setting.getTextContent().strip());
            }
        }
        return new ReaderProfile(Map.copyOf(settings), Map.copyOf(maxima));
    }

    /** A setting of the profile as a number; fails when the profile does not set it. */
    public long number(String setting) {
        String value = settings.get(setting);
        if (value == null) {
            throw new IllegalStateException("Profile " + PROFILE + " in " + RESOURCE + " sets no " + setting);
        }
        return Long.parseLong(value);
    }

    /** The most a reader may ask for {@code setting}: the constraint's max, else the profile's own value. */
    public long ceiling(String setting) {
        String max = maxima.get(setting);
        return max != null ? Long.parseLong(max) : number(setting);
    }
}
