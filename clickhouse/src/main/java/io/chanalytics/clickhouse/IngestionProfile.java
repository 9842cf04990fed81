package io.chanalytics.clickhouse;

import java.util.LinkedHashMap;
import java.util.Map;
import org.w3c.dom.Element;

/**
 * The settings of the server's {@code default} profile in {@code clickhouse/docker/users.d/ingestion.xml}: the server
 * runs its Kafka tables' inserts with them, and so does the embedded engine, given a users file with the same profile
 * ({@link #usersFile()}). Command-line settings would not do: chDB applies them to its query sessions, not to the
 * context its Kafka tables insert with (IngestionPipelineIntegrationTests saw the copies folded).
 */
public record IngestionProfile(Map<String, String> settings) {

    public static final String RESOURCE = "/clickhouse/users.d/ingestion.xml";

    public static IngestionProfile fromClasspath() {
        Map<String, String> settings = new LinkedHashMap<>();
        for (Element setting : ProfileFile.children(ProfileFile.profile(RESOURCE, "default"))) {
            settings.put(setting.getTagName(), setting.getTextContent().strip());
        }
        return new IngestionProfile(Map.copyOf(settings));
    }

    /**
     * A users file for the embedded engine ({@code users_config}): the overlay as the server reads it, and the
     * password-less {@code default} user and quota the server image brings (chDB runs its queries as that user; its own
     * users file, used when none is given, holds it too), allowed access management as the image's admin user is.
     */
    public static String usersFile() {
        return ProfileFile.text(RESOURCE)
                .replace(
                        "</clickhouse>",
                        "<users><default><password></password><networks><ip>::/0</ip></networks>"
                                + "<profile>default</profile><quota>default</quota>"
                                + "<access_management>1</access_management></default></users>"
                                + "<quotas><default></default></quotas></clickhouse>");
    }
}
