package io.chanalytics.stack;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A real PostgreSQL server started from the binaries shipped in a Maven artifact, with its data directory kept
 * between runs, and the database and owner the services connect with (the same names compose uses).
 */
public final class Postgres implements AutoCloseable {

    private final EmbeddedPostgres server;

    private Postgres(EmbeddedPostgres server) {
        this.server = server;
    }

    public static Postgres start(Path dataDirectory, int port, String database, String user, String password) {
        EmbeddedPostgres server;
        try {
            Files.createDirectories(dataDirectory);
            server = EmbeddedPostgres.builder()
                    .setPort(port)
                    .setDataDirectory(dataDirectory)
                    .setCleanDataDirectory(false)
                    .setServerConfig("listen_addresses", "127.0.0.1")
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start PostgreSQL on port " + port + " in " + dataDirectory, e);
        }
        Postgres postgres = new Postgres(server);
        try {
            postgres.ensureDatabase(database, user, password);
        } catch (SQLException e) {
            postgres.close();
            throw new IllegalStateException("Cannot create database " + database + " for " + user, e);
        }
        return postgres;
    }

    public int port() {
        return server.getPort();
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot stop PostgreSQL", e);
        }
    }

    private void ensureDatabase(String database, String user, String password) throws SQLException {
        try (Connection connection = server.getPostgresDatabase().getConnection()) {
            if (!exists(connection, "SELECT 1 FROM pg_roles WHERE rolname = ?", user)) {
                try (Statement statement = connection.createStatement()) {
                    statement.execute("CREATE ROLE " + identifier(user) + " LOGIN PASSWORD " + literal(password));
                }
            }
            if (!exists(connection, "SELECT 1 FROM pg_database WHERE datname = ?", database)) {
                try (Statement statement = connection.createStatement()) {
                    statement.execute("CREATE DATABASE " + identifier(database) + " OWNER " + identifier(user));
                }
            }
        }
    }

    private static boolean exists(Connection connection, String sql, String name) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, name);
            try (var rows = statement.executeQuery()) {
                return rows.next();
            }
        }
    }

    private static String identifier(String name) {
        return "\"" + name.replace("\"", "\"\"") + "\"";
    }

    private static String literal(String value) {
        return "'" + value.replace("'", "''") + "'";
    }
}
