package io.chanalytics.clickhouse;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.SAXException;

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
        try (InputStream in = ReaderProfile.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the classpath");
            }
            var factory = DocumentBuilderFactory.newInstance();
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            Element root = factory.newDocumentBuilder().parse(in).getDocumentElement();
            Element profile = child(child(root, "profiles"), PROFILE);
            Map<String, String> settings = new LinkedHashMap<>();
            Map<String, String> maxima = new LinkedHashMap<>();
            for (Element setting : children(profile)) {
                if (setting.getTagName().equals("constraints")) {
                    for (Element constrained : children(setting)) {
                        for (Element bound : children(constrained)) {
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
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + RESOURCE, e);
        } catch (ParserConfigurationException | SAXException e) {
            throw new IllegalStateException("Cannot parse " + RESOURCE, e);
        }
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

    private static Element child(Element parent, String name) {
        return children(parent).stream()
                .filter(element -> element.getTagName().equals(name))
                .findFirst()
                .orElseThrow(() ->
                        new IllegalStateException(RESOURCE + ": no <" + name + "> in <" + parent.getTagName() + ">"));
    }

    private static List<Element> children(Element parent) {
        List<Element> elements = new ArrayList<>();
        for (Node node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element element) {
                elements.add(element);
            }
        }
        return elements;
    }
}
