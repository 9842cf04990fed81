package io.chanalytics.clickhouse;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;

/**
 * A settings profile of one of the server's {@code users.d} files (clickhouse/docker/users.d, compose mounts them into
 * the server; the build puts them on the classpath under {@code /clickhouse/users.d}), for the embedded engine to apply
 * the same settings.
 */
final class ProfileFile {

    private ProfileFile() {}

    /** The element of profile {@code profile} in classpath resource {@code resource}. */
    static Element profile(String resource, String profile) {
        try {
            var factory = DocumentBuilderFactory.newInstance();
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            Element root = factory.newDocumentBuilder()
                    .parse(new InputSource(new StringReader(text(resource))))
                    .getDocumentElement();
            return child(resource, child(resource, root, "profiles"), profile);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + resource, e);
        } catch (ParserConfigurationException | SAXException e) {
            throw new IllegalStateException("Cannot parse " + resource, e);
        }
    }

    /** Classpath resource {@code resource} as it is. */
    static String text(String resource) {
        try (InputStream in = ProfileFile.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is missing from the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + resource, e);
        }
    }

    static List<Element> children(Element parent) {
        List<Element> elements = new ArrayList<>();
        for (Node node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element element) {
                elements.add(element);
            }
        }
        return elements;
    }

    private static Element child(String resource, Element parent, String name) {
        return children(parent).stream()
                .filter(element -> element.getTagName().equals(name))
                .findFirst()
                .orElseThrow(() ->
                        new IllegalStateException(resource + ": no <" + name + "> in <" + parent.getTagName() + ">"));
    }
}
