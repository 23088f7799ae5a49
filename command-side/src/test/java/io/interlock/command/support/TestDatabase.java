package io.interlock.command.support;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The real PostgreSQL the tests run against (127.0.0.1:5432, database {@code test} unless
 * {@code INTERLOCK_TEST_DB_URL} says otherwise). Each test family gets its own schema, dropped
 * and recreated once per JVM so every run starts from an empty event store.
 */
public final class TestDatabase {

    public static final String BASE_URL = System.getenv().getOrDefault("INTERLOCK_TEST_DB_URL",
            "jdbc:postgresql://127.0.0.1:5432/test");
    public static final String USER = System.getenv().getOrDefault("INTERLOCK_TEST_DB_USER", "postgres");
    /** Lets two checkouts run their suites at once on one database without dropping each other's schemas. */
    public static final String PREFIX = System.getenv().getOrDefault("INTERLOCK_TEST_SCHEMA_PREFIX", "interlock");
    private static final Set<String> RESET = ConcurrentHashMap.newKeySet();

    private TestDatabase() {
    }

    /** The schema for one test family, e.g. {@code schema("it")}. */
    public static String schema(String family) {
        return PREFIX + "_" + family;
    }

    public static String url(String schema) {
        return BASE_URL + (BASE_URL.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    }

    /** Drops and recreates the schema the first time it is asked for in this JVM. */
    public static synchronized void freshSchema(String schema) {
        if (!RESET.add(schema)) {
            return;
        }
        try (Connection c = DriverManager.getConnection(BASE_URL, USER, "");
             Statement s = c.createStatement()) {
            s.execute("drop schema if exists " + schema + " cascade");
            s.execute("create schema " + schema);
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL must be running on 127.0.0.1:5432 for the tests", e);
        }
    }

    public static Connection connect(String schema) throws SQLException {
        return DriverManager.getConnection(url(schema), USER, "");
    }
}
