package io.chanalytics.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPathFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

/** The profile as the classpath holds it is the file compose mounts into the server, read as the server reads it. */
class ReaderProfileTests {

    @Test
    void theLimitsAreThoseOfTheFileComposeMounts() throws Exception {
        Document mounted = DocumentBuilderFactory.newInstance()
                .newDocumentBuilder()
                .parse(Path.of("docker/users.d/grafana.xml").toFile());
        var xpath = XPathFactory.newInstance().newXPath();
        String profile = "/clickhouse/profiles/" + ReaderProfile.PROFILE + "/";

        ReaderProfile read = ReaderProfile.fromClasspath();

        for (String setting : new String[] {"max_memory_usage", "max_rows_to_read", "max_result_rows"}) {
            assertThat(read.number(setting))
                    .as(setting)
                    .isEqualTo(Long.parseLong(xpath.evaluate(profile + setting, mounted)));
        }
        assertThat(read.number("readonly")).isEqualTo(1);
        assertThat(read.ceiling("max_execution_time"))
                .as("the constraint's max, above the profile's own value")
                .isEqualTo(Long.parseLong(xpath.evaluate(profile + "constraints/max_execution_time/max", mounted)))
                .isGreaterThan(read.number("max_execution_time"));
        assertThat(read.ceiling("max_memory_usage"))
                .as("no constraint: the value itself")
                .isEqualTo(read.number("max_memory_usage"));
    }
}
