package io.interlock.command.support;

import java.util.Map;

/**
 * The two command-side replicas the HTTP and race tests share. Started once per JVM (Spring
 * contexts are expensive on a 2-core machine) and stopped when the JVM exits.
 */
public final class TwoReplicas {

    public static final String SCHEMA = TestDatabase.schema("it");
    private static Replica a;
    private static Replica b;

    private TwoReplicas() {
    }

    public static synchronized Replica a() {
        start();
        return a;
    }

    public static synchronized Replica b() {
        start();
        return b;
    }

    private static void start() {
        if (a != null) {
            return;
        }
        // Sequential starts: Flyway migrates once, the second replica finds the schema ready.
        a = Replica.start("a", SCHEMA, Map.of());
        b = Replica.start("b", SCHEMA, Map.of());
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            b.close();
            a.close();
        }));
    }
}
