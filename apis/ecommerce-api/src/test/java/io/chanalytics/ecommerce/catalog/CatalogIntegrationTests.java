package io.chanalytics.ecommerce.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import io.chanalytics.api.problem.ApiProblem;
import io.chanalytics.api.testing.EmbeddedPostgresDatabase;
import io.r2dbc.postgresql.PostgresqlConnectionConfiguration;
import io.r2dbc.postgresql.PostgresqlConnectionFactory;
import java.sql.Connection;
import java.sql.DriverManager;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.test.StepVerifier;

/**
 * The e-commerce service may start before the CRUD API has migrated the catalog (or against a database where it
 * never ran): catalog reads then answer 503 with a reason instead of a 500.
 */
class CatalogIntegrationTests {

    private static final String DATABASE = "without_catalog";

    @BeforeAll
    static void createEmptyDatabase() throws Exception {
        try (Connection connection =
                        DriverManager.getConnection(EmbeddedPostgresDatabase.jdbcUrl(), "postgres", "postgres");
                var statement = connection.createStatement()) {
            statement.execute("DROP DATABASE IF EXISTS " + DATABASE);
            statement.execute("CREATE DATABASE " + DATABASE);
        }
    }

    @Test
    void aMissingCatalogIsServiceUnavailable() {
        var connections = new PostgresqlConnectionFactory(PostgresqlConnectionConfiguration.builder()
                .host("localhost")
                .port(EmbeddedPostgresDatabase.server().getPort())
                .database(DATABASE)
                .username("postgres")
                .password("postgres")
                .build());
        Catalog catalog = new Catalog(DatabaseClient.create(connections));

        StepVerifier.create(catalog.find(1))
                .expectErrorSatisfies(error -> {
                    assertThat(error).isInstanceOf(ApiProblem.class);
                    assertThat(((ApiProblem) error).getStatusCode().value()).isEqualTo(503);
                    assertThat(((ApiProblem) error).getBody().getProperties())
                            .containsEntry("reason", "CATALOG_UNAVAILABLE");
                })
                .verify();
        StepVerifier.create(catalog.takeStock(1, 1))
                .expectError(ApiProblem.class)
                .verify();
    }
}
