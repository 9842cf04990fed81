package io.chanalytics.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import io.chanalytics.stack.clickhouse.QueryLimits;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StackSettingsTests {

    private static final Path ROOT = RepositoryLayout.root();

    @Test
    void defaultsAreTheComposePortsAndDotData() {
        StackSettings settings = StackSettings.fromEnvironment(name -> null, ROOT);
        assertThat(settings.dataDirectory()).isEqualTo(ROOT.resolve(".data"));
        assertThat(settings.bootstrapServers()).isEqualTo("127.0.0.1:9092");
        assertThat(settings.schemaRegistryUrl()).isEqualTo("http://127.0.0.1:8081");
        assertThat(settings.postgresJdbcUrl()).isEqualTo("jdbc:postgresql://127.0.0.1:5432/chanalytics");
        assertThat(settings.clickhouseHttp().port()).isEqualTo(8123);
        assertThat(settings.crudApiPort()).isEqualTo(8001);
        assertThat(settings.ecommerceApiPort()).isEqualTo(8002);
        assertThat(settings.crudApiJar()).isEqualTo(ROOT.resolve("apis/crud-api/target"));
        assertThat(settings.startServices()).isTrue();
        assertThat(settings.topics()).containsExactly("request-events", "business-events", "system-metrics");
    }

    @Test
    void environmentOverridesEachValue() {
        Map<String, String> environment = Map.of(
                "CHANALYTICS_DATA_DIR", "/tmp/stack",
                "KAFKA_PORT", "19092",
                "CLICKHOUSE_HTTP_PORT", "18123",
                "POSTGRES_DB", "other",
                "STACK_SKIP_SERVICES", "true");
        StackSettings settings = StackSettings.fromEnvironment(environment::get, ROOT);
        assertThat(settings.dataDirectory()).isEqualTo(Path.of("/tmp/stack"));
        assertThat(settings.bootstrapServers()).isEqualTo("127.0.0.1:19092");
        assertThat(settings.clickhouseHttp().port()).isEqualTo(18123);
        assertThat(settings.postgresJdbcUrl()).endsWith("/other");
        assertThat(settings.startServices()).isFalse();
    }

    /** The defaults are .env's, the file compose reads: a value changed there is the stack's, a missing one is named. */
    @Test
    void theDefaultsComeFromTheRepositorysDotEnv(@TempDir Path root) throws IOException {
        String dotEnv = Files.readString(ROOT.resolve(".env"));
        Files.writeString(root.resolve(".env"), dotEnv.replace("KAFKA_PORT=9092", "KAFKA_PORT='19999'"));
        assertThat(StackSettings.fromEnvironment(name -> null, root).kafkaPort())
                .isEqualTo(19999);

        Files.writeString(root.resolve(".env"), dotEnv.replaceAll("(?m)^CRUD_API_PORT=.*$", "# no crud-api port"));
        assertThatIllegalArgumentException()
                .isThrownBy(() -> StackSettings.fromEnvironment(name -> null, root))
                .withMessageContaining("CRUD_API_PORT");
    }

    @Test
    void aPortThatIsNotANumberIsNamed() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> StackSettings.fromEnvironment(Map.of("KAFKA_PORT", "abc")::get, ROOT))
                .withMessageContaining("KAFKA_PORT");
    }

    @Test
    void theClickHouseInterfaceListensOnLoopbackWithTheComposeCredentialsAndLimitsByDefault() {
        var http = StackSettings.fromEnvironment(name -> null, ROOT).clickhouseHttp();
        assertThat(http.host()).isEqualTo("127.0.0.1");
        assertThat(http.user()).isEqualTo("analytics");
        assertThat(http.requiresPassword()).isTrue();
        assertThat(http.limits()).isEqualTo(QueryLimits.DEFAULTS);
    }

    @Test
    void theClickHouseInterfaceRefusesAnotherAddressWithoutAPassword() {
        Map<String, String> open = Map.of("CLICKHOUSE_HTTP_HOST", "0.0.0.0", "CLICKHOUSE_ADMIN_PASSWORD", "");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> StackSettings.fromEnvironment(open::get, ROOT))
                .withMessageContaining("CLICKHOUSE_ADMIN_PASSWORD");
        Map<String, String> loopbackOpen = Map.of("CLICKHOUSE_ADMIN_PASSWORD", "");
        assertThat(StackSettings.fromEnvironment(loopbackOpen::get, ROOT)
                        .clickhouseHttp()
                        .requiresPassword())
                .isFalse();
        Map<String, String> protectedEverywhere =
                Map.of("CLICKHOUSE_HTTP_HOST", "0.0.0.0", "CLICKHOUSE_MAX_CONCURRENT_QUERIES", "3");
        var http = StackSettings.fromEnvironment(protectedEverywhere::get, ROOT).clickhouseHttp();
        assertThat(http.host()).isEqualTo("0.0.0.0");
        assertThat(http.limits().maxConcurrentQueries()).isEqualTo(3);
    }

    /** A Kafka table consumer beyond the topic's partitions would never be assigned one (and the stack waits for all). */
    @Test
    void theRequestConsumersAreCappedAtThePartitions() {
        StackSettings onePartition = StackSettings.fromEnvironment(Map.of("KAFKA_PARTITIONS", "1")::get, ROOT);
        StackSettings defaults = StackSettings.fromEnvironment(name -> null, ROOT);

        assertThat(EmbeddedStack.clickHouseVariables(onePartition)).containsEntry("CH_KAFKA_NUM_CONSUMERS", "1");
        assertThat(EmbeddedStack.clickHouseVariables(defaults))
                .containsEntry("CH_KAFKA_NUM_CONSUMERS", "3")
                .containsEntry("CH_KAFKA_BROKER_LIST", "127.0.0.1:9092");
    }
}
