package io.interlock.command.support;

import org.junit.jupiter.api.BeforeAll;

/** A test class that talks to both command-side replicas ({@link TwoReplicas}) on their shared schema. */
public abstract class TwoReplicaTest {

    protected static final String SCHEMA = TwoReplicas.SCHEMA;
    protected static Replica a;
    protected static Replica b;

    @BeforeAll
    static void replicas() {
        a = TwoReplicas.a();
        b = TwoReplicas.b();
    }
}
