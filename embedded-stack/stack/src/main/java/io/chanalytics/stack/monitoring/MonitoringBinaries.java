package io.chanalytics.stack.monitoring;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Prometheus's programs as packages install them on {@code PATH}: Debian and Ubuntu name Alertmanager
 * {@code prometheus-alertmanager} (package of the same name), Homebrew and the release archives {@code alertmanager}.
 */
public final class MonitoringBinaries {

    private static final Map<String, List<String>> NAMES = Map.of(
            "prometheus", List.of("prometheus"),
            "alertmanager", List.of("alertmanager", "prometheus-alertmanager"),
            "promtool", List.of("promtool"),
            "amtool", List.of("amtool"));

    private MonitoringBinaries() {}

    /**
     * The first of {@code tool}'s names found executable on {@code PATH}, then in {@code /usr/sbin} and {@code /sbin},
     * where Debian puts daemons such as nginx and a user's {@code PATH} may not reach.
     */
    public static Optional<Path> find(String tool) {
        String path = Optional.ofNullable(System.getenv("PATH")).orElse("") + ":/usr/sbin:/sbin";
        return NAMES.getOrDefault(tool, List.of(tool)).stream()
                .flatMap(name -> Stream.of(path.split(":"))
                        .filter(directory -> !directory.isBlank())
                        .map(directory -> Path.of(directory, name)))
                .filter(Files::isExecutable)
                .findFirst();
    }
}
