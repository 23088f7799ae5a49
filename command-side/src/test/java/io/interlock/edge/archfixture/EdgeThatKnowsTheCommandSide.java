package io.interlock.edge.archfixture;

import io.interlock.command.gateway.Caller;

/**
 * A breach for ArchitectureTest to catch: a class of the shared HTTP edge using one app's classes,
 * which would make the other app carry them. Never instantiated.
 */
public final class EdgeThatKnowsTheCommandSide {

    private EdgeThatKnowsTheCommandSide() {
    }

    static Caller caller(Caller caller) {
        return caller;
    }
}
