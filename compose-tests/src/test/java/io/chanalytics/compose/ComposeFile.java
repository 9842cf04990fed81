package io.chanalytics.compose;

import io.chanalytics.stack.RepositoryLayout;
import io.chanalytics.stack.StackEnvironment;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.Yaml;

/**
 * A compose file of the repository as Compose reads it: YAML anchors and merge keys resolved, every {@code ${VAR}}
 * interpolated from {@code .env} (the one defaults file, read with the stack's own reader), and {@code extends}
 * resolved with docker-compose 1.29's merge rules, which Compose v2 keeps for the keys used here: {@code environment}
 * and {@code healthcheck} merged key by key, {@code volumes} by container path, {@code ports} and {@code profiles}
 * joined, anything else replaced by the extending service. A base service with {@code depends_on} is refused, as
 * 1.29 refuses it; a variable {@code .env} does not set is an error, where Compose would run with an empty value.
 */
final class ComposeFile {

    private static final Path ROOT = RepositoryLayout.root();
    private static final Pattern VARIABLE =
            Pattern.compile("\\$(?:\\$|\\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?})");
    private static final Set<String> NOT_EXTENDABLE = Set.of("depends_on", "links", "volumes_from");

    private ComposeFile() {}

    /** The file at {@code name} (relative to the repository root), interpolated from the repository's .env. */
    static Map<String, Object> load(String name) {
        return load(name, StackEnvironment.defaults(ROOT).all()::get);
    }

    /** The file with {@code variables} instead of .env (a variable they do not set is an error). */
    @SuppressWarnings("unchecked")
    static Map<String, Object> load(String name, UnaryOperator<String> variables) {
        Map<String, Object> model = (Map<String, Object>) interpolate(raw(name), variables, name);
        // Each extended file is read once per load, however many services extend it.
        Map<String, Map<String, Map<String, Object>>> bases = new HashMap<>();
        Map<String, Map<String, Object>> services = servicesOf(model);
        services.replaceAll((service, definition) -> resolveExtends(name, service, definition, variables, bases));
        return model;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Map<String, Object>> servicesOf(Map<String, Object> compose) {
        return (Map<String, Map<String, Object>>) compose.get("services");
    }

    /** A volume of a service in Compose's short syntax: a host path ({@code ./...}) or a named volume, mounted. */
    record Mount(String source, String target, boolean readOnly) {

        boolean bindMount() {
            return source.startsWith("./");
        }
    }

    /** The volumes of a service (read by {@link #load}), in the order the file lists them. */
    @SuppressWarnings("unchecked")
    static List<Mount> mountsOf(Map<String, Object> service) {
        List<Mount> mounts = new ArrayList<>();
        for (String volume : (List<String>) service.getOrDefault("volumes", List.of())) {
            String[] parts = volume.split(":");
            mounts.add(new Mount(parts[0], parts[1], parts.length > 2 && parts[2].equals("ro")));
        }
        return mounts;
    }

    /** The file as YAML reads it, variables and extends untouched. */
    static Map<String, Object> raw(String name) {
        try (InputStream in = Files.newInputStream(ROOT.resolve(name))) {
            return new Yaml().load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every variable a file refers to, {@code $$} escapes left out. */
    static Set<String> variablesOf(String name) {
        try {
            Matcher reference = VARIABLE.matcher(Files.readString(ROOT.resolve(name)));
            Set<String> names = new TreeSet<>();
            while (reference.find()) {
                if (reference.group(1) != null) {
                    names.add(reference.group(1));
                }
            }
            return names;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Compose's interpolation of one value: ${X}, ${X:-d}, ${X-d}, ${X:?e}, ${X?e}, and $$ for a literal $. */
    static String interpolate(String text, UnaryOperator<String> variables, String where) {
        Matcher reference = VARIABLE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (reference.find()) {
            String replacement;
            if (reference.group(1) == null) {
                replacement = "$";
            } else {
                String value = variables.apply(reference.group(1));
                String operator = reference.group(2);
                boolean unset =
                        operator != null && operator.startsWith(":") ? value == null || value.isEmpty() : value == null;
                if (operator != null && operator.endsWith("-") && unset) {
                    replacement = reference.group(3);
                } else if (unset || value == null) {
                    throw new IllegalStateException(where + " refers to ${" + reference.group(1)
                            + "}, which .env does not set"
                            + (operator != null && operator.endsWith("?") ? ": " + reference.group(3) : ""));
                } else {
                    replacement = value;
                }
            }
            reference.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        reference.appendTail(out);
        return out.toString();
    }

    @SuppressWarnings("unchecked")
    private static Object interpolate(Object value, UnaryOperator<String> variables, String where) {
        if (value instanceof String text) {
            return interpolate(text, variables, where);
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> copy = new LinkedHashMap<>();
            ((Map<String, Object>) map).forEach((key, item) -> copy.put(key, interpolate(item, variables, where)));
            return copy;
        }
        if (value instanceof List<?> list) {
            return new ArrayList<>(list.stream()
                    .map(item -> interpolate(item, variables, where))
                    .toList());
        }
        return value;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> resolveExtends(
            String file,
            String name,
            Map<String, Object> service,
            UnaryOperator<String> variables,
            Map<String, Map<String, Map<String, Object>>> bases) {
        Object extendsValue = service.get("extends");
        if (extendsValue == null) {
            return service;
        }
        Map<String, Object> reference = (Map<String, Object>) extendsValue;
        String baseFile = (String) reference.getOrDefault("file", file);
        if (ROOT.resolve(baseFile).getParent() != null
                && !ROOT.resolve(baseFile).getParent().equals(ROOT)) {
            throw new IllegalStateException(file + ": " + name + " extends a file outside the repository root, whose"
                    + " relative paths this reader does not re-base: " + baseFile);
        }
        String baseName = (String) reference.get("service");
        Map<String, Object> base = bases.computeIfAbsent(baseFile, other -> servicesOf(load(other, variables)))
                .get(baseName);
        if (base == null) {
            throw new IllegalStateException(
                    file + ": " + name + " extends " + baseName + ", which " + baseFile + " does not define");
        }
        for (String key : NOT_EXTENDABLE) {
            if (base.containsKey(key)) {
                throw new IllegalStateException("Cannot extend service '" + baseName + "' in " + baseFile
                        + ": services with '" + key + "' cannot be extended (docker-compose 1.29)");
            }
        }
        Map<String, Object> merged = new LinkedHashMap<>(base);
        service.forEach((key, value) -> {
            if (key.equals("extends")) {
                return;
            }
            merged.put(key, merge(key, base.get(key), value));
        });
        return merged;
    }

    @SuppressWarnings("unchecked")
    private static Object merge(String key, Object base, Object local) {
        if (base == null) {
            return local;
        }
        return switch (key) {
            case "environment", "healthcheck", "labels", "ulimits", "build" -> {
                Map<String, Object> merged = new LinkedHashMap<>((Map<String, Object>) base);
                merged.putAll((Map<String, Object>) local);
                yield merged;
            }
            case "volumes" -> {
                Map<String, String> byTarget = new LinkedHashMap<>();
                for (String volume : (List<String>) base) {
                    byTarget.put(containerPath(volume), volume);
                }
                for (String volume : (List<String>) local) {
                    byTarget.put(containerPath(volume), volume);
                }
                yield new ArrayList<>(byTarget.values());
            }
            case "ports", "profiles" -> {
                Set<Object> joined = new LinkedHashSet<>((List<Object>) base);
                joined.addAll((List<Object>) local);
                yield new ArrayList<>(joined);
            }
            default -> local;
        };
    }

    private static String containerPath(String volume) {
        String[] parts = volume.split(":");
        return parts.length > 1 ? parts[1] : parts[0];
    }
}
