package io.chanalytics.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;

import io.chanalytics.clickhouse.engine.ChDb;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import javax.xml.xpath.XPathFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * The users file compose mounts for Grafana, read by the engine's own users.xml reader (chDB runs the server's access
 * code): the {@code grafana} user must load with exactly {@code GRANT SELECT ON analytics.*}. Two edits make it load
 * outside the server image: the image's {@code default} user is added (the file is a users.d overlay), and the
 * profile's constraints are dropped, because {@code changeable_in_readonly} needs the server's
 * {@code settings_constraints_replace_previous}, which chDB never sets ({@code GrafanaProvisioningTests} checks
 * them against what the plugin sends). The password, read from the environment in compose, is given inline.
 */
class GrafanaClickHouseUserIntegrationTests {

    @TempDir
    Path directory;

    @Test
    void theEngineLoadsTheGrafanaUserWithOnlySelectOnAnalytics() throws Exception {
        Document users = grafanaUsersFile();
        var constraints = users.getElementsByTagName("constraints");
        while (constraints.getLength() > 0) {
            constraints.item(0).getParentNode().removeChild(constraints.item(0));
        }
        Element root = users.getDocumentElement();
        Element usersElement = (Element) root.getElementsByTagName("users").item(0);
        Element password = (Element)
                ((Element) usersElement.getElementsByTagName("grafana").item(0))
                        .getElementsByTagName("password")
                        .item(0);
        password.removeAttribute("from_env");
        password.setTextContent("grafana");
        usersElement.appendChild(defaultUser(users));
        root.getElementsByTagName("profiles").item(0).appendChild(users.createElement("default"));
        Element quotas = users.createElement("quotas");
        quotas.appendChild(users.createElement("default"));
        root.appendChild(quotas);

        Path usersFile = directory.resolve("users.xml");
        TransformerFactory.newInstance()
                .newTransformer()
                .transform(new DOMSource(users), new StreamResult(usersFile.toFile()));
        Path config = directory.resolve("config.xml");
        Files.writeString(config, "<clickhouse><users_config>" + usersFile + "</users_config></clickhouse>");

        try (ChDb engine = ChDb.open(directory.resolve("engine"), "--config-file=" + config)) {
            assertThat(engine.queryValue("SHOW GRANTS FOR grafana"))
                    .isEqualTo("GRANT SELECT ON analytics.* TO grafana");
            assertThat(engine.queryValue("SELECT inherit_profile FROM system.settings_profile_elements"
                            + " WHERE user_name = 'grafana'"))
                    .isEqualTo("grafana_readonly");
        }
    }

    /** The server image's password-less {@code default} user, which the overlay leaves in place (and may read grants). */
    private static Element defaultUser(Document document) {
        Element user = document.createElement("default");
        user.appendChild(document.createElement("password"));
        Element networks = document.createElement("networks");
        Element ip = document.createElement("ip");
        ip.setTextContent("::/0");
        networks.appendChild(ip);
        user.appendChild(networks);
        for (String[] setting :
                new String[][] {{"profile", "default"}, {"quota", "default"}, {"access_management", "1"}}) {
            Element element = document.createElement(setting[0]);
            element.setTextContent(setting[1]);
            user.appendChild(element);
        }
        return user;
    }

    @Test
    void grafanaIsReadOnlyWithABoundedExecutionTime() throws Exception {
        Document users = grafanaUsersFile();
        var xpath = XPathFactory.newInstance().newXPath();

        assertThat(xpath.evaluate("/clickhouse/users/grafana/profile", users)).isEqualTo("grafana_readonly");
        assertThat(xpath.evaluate("/clickhouse/users/grafana/password/@from_env", users))
                .isEqualTo("CLICKHOUSE_GRAFANA_PASSWORD");
        assertThat(xpath.evaluate("/clickhouse/profiles/grafana_readonly/readonly", users))
                .isEqualTo("1");
        assertThat(Integer.parseInt(xpath.evaluate("/clickhouse/profiles/grafana_readonly/max_execution_time", users)))
                .isBetween(1, 60);
        assertThat(Integer.parseInt(xpath.evaluate(
                        "/clickhouse/profiles/grafana_readonly/constraints/max_execution_time/max", users)))
                .isBetween(1, 60);
        assertThat(xpath.evaluate("count(/clickhouse/users/default)", users)).isEqualTo("0");
    }

    /** The users file compose mounts into the server, as the module's tests see it (Maven runs them in clickhouse/). */
    private static Document grafanaUsersFile() throws Exception {
        return DocumentBuilderFactory.newInstance()
                .newDocumentBuilder()
                .parse(Path.of("docker/users.d/grafana.xml").toFile());
    }
}
