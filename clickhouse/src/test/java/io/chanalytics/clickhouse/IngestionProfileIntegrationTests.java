package io.chanalytics.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;

import io.chanalytics.clickhouse.engine.ChDb;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code clickhouse/docker/users.d/ingestion.xml}, the default profile's settings for the Kafka tables' inserts, as
 * both engines read it: the server's users.xml reader (chDB runs the server's access code) must load it as a profile
 * setting it knows ({@code IngestionPipelineIntegrationTests} holds the embedded engine's Kafka tables to the same
 * settings).
 */
class IngestionProfileIntegrationTests {

    @TempDir
    Path directory;

    @Test
    void theServersUsersReaderLoadsTheDefaultProfilesSettings() throws Exception {
        // The file is a users.d overlay: the server image brings the default user and quota it refers to, which the
        // embedded engine's users file adds.
        Path users = directory.resolve("users.xml");
        Files.writeString(users, IngestionProfile.usersFile());
        Path config = directory.resolve("config.xml");
        Files.writeString(config, "<clickhouse><users_config>" + users + "</users_config></clickhouse>");

        try (ChDb engine = ChDb.open(directory.resolve("engine"), "--config-file=" + config)) {
            for (Map.Entry<String, String> setting :
                    IngestionProfile.fromClasspath().settings().entrySet()) {
                assertThat(engine.query(
                                        "SELECT value FROM system.settings_profile_elements WHERE profile_name ="
                                                + " 'default' AND setting_name = {name:String}",
                                        Map.of("name", setting.getKey()))
                                .strip())
                        .as("the server's default profile, %s", setting.getKey())
                        .isEqualTo(setting.getValue());
            }
        }
    }
}
