package io.interlock.query.support;

import io.interlock.command.support.Replica;
import io.interlock.command.support.TestDatabase;

import java.util.Map;

/**
 * A command side and a query side on one PostgreSQL schema, started once per JVM: commands go
 * in over HTTP on one, read models come out over HTTP on the other.
 */
public final class Stack {

    public static final String SCHEMA = TestDatabase.schema("query");
    private static Replica command;
    private static QueryApp query;

    private Stack() {
    }

    public static synchronized Replica command() {
        start();
        return command;
    }

    public static synchronized QueryApp query() {
        start();
        return query;
    }

    private static void start() {
        if (command != null) {
            return;
        }
        command = Replica.start("for-query", SCHEMA, Map.of());
        query = QueryApp.start(SCHEMA, Map.of("interlock.query.min-version-wait", "PT3S"));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            query.close();
            command.close();
        }));
    }
}
