package io.chanalytics.simulator.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A value from the parsed YAML together with its key path, so every conversion error names the key. SnakeYAML gives
 * plain maps, lists, strings and numbers; this is the only place that inspects their types.
 */
record YamlNode(String key, Object value) {

    boolean isMissing() {
        return value == null;
    }

    YamlNode child(String name) {
        Map<String, Object> map = asMap();
        return new YamlNode(key.isEmpty() ? name : key + "." + name, map.get(name));
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> asMap() {
        if (value instanceof Map<?, ?> map) {
            for (Object mapKey : map.keySet()) {
                if (!(mapKey instanceof String)) {
                    throw new ConfigException(key, "keys must be text, found " + mapKey);
                }
            }
            return (Map<String, Object>) map;
        }
        throw new ConfigException(key, value == null ? "is missing" : "must be a mapping of keys to values");
    }

    /** Fails on keys the simulator does not know, so a typo does not silently fall back to a default. */
    YamlNode onlyKeys(String... allowed) {
        Set<String> known = Set.of(allowed);
        for (String present : asMap().keySet()) {
            if (!known.contains(present)) {
                throw new ConfigException(
                        key.isEmpty() ? present : key + "." + present,
                        "unknown key (known here: " + String.join(", ", new TreeSet<>(known)) + ")");
            }
        }
        return this;
    }

    List<YamlNode> asList() {
        if (value instanceof List<?> list) {
            List<YamlNode> nodes = new ArrayList<>();
            for (int index = 0; index < list.size(); index++) {
                nodes.add(new YamlNode(key + "[" + index + "]", list.get(index)));
            }
            return nodes;
        }
        throw new ConfigException(key, value == null ? "is missing" : "must be a list");
    }

    Map<String, YamlNode> entries() {
        Map<String, YamlNode> entries = new LinkedHashMap<>();
        asMap().forEach((name, child) -> entries.put(name, new YamlNode(key + "." + name, child)));
        return entries;
    }

    String asText() {
        if (value instanceof String text && !text.isBlank()) {
            return text.trim();
        }
        if (value instanceof Number || value instanceof Boolean) {
            return value.toString();
        }
        throw new ConfigException(key, value == null ? "is missing" : "must be a non-empty text");
    }

    double asDouble() {
        if (value instanceof Number number) {
            return number.doubleValue();
        }
        if (value instanceof String text) {
            try {
                return Double.parseDouble(text.trim());
            } catch (NumberFormatException notANumber) {
                throw new ConfigException(key, "'" + text + "' is not a number");
            }
        }
        throw new ConfigException(key, value == null ? "is missing" : "must be a number, found " + value);
    }

    int asInt() {
        double number = asDouble();
        if (number != Math.rint(number)) {
            throw new ConfigException(key, "must be a whole number, found " + number);
        }
        return (int) number;
    }

    double asPositive() {
        double number = asDouble();
        if (!(number > 0)) {
            throw new ConfigException(key, "must be positive, found " + format(number));
        }
        return number;
    }

    double asNonNegative() {
        double number = asDouble();
        if (number < 0) {
            throw new ConfigException(key, "must not be negative, found " + format(number));
        }
        return number;
    }

    /** A {@code [min, max]} pair: two numbers, min not greater than max. */
    Range asRange(double lowest) {
        List<YamlNode> bounds = asList();
        if (bounds.size() != 2) {
            throw new ConfigException(key, "must be a pair [min, max], found " + value);
        }
        double min = bounds.get(0).asDouble();
        double max = bounds.get(1).asDouble();
        if (min < lowest) {
            throw new ConfigException(key, "min must be at least " + format(lowest) + ", found " + format(min));
        }
        if (min > max) {
            throw new ConfigException(key, "min " + format(min) + " is greater than max " + format(max));
        }
        return new Range(min, max);
    }

    static String format(double number) {
        return number == Math.rint(number) ? Long.toString((long) number) : Double.toString(number);
    }
}
