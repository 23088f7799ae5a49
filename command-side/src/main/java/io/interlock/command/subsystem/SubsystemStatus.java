package io.interlock.command.subsystem;

import io.interlock.subsystem.SubsystemState;

/** What subsystem-wide commands answer: the id, every state field, and the version. */
public record SubsystemStatus(String nqn, String nodeId, String tenant, int maxNamespaces, int liveNamespaces,
                              boolean dedicated, boolean deleted, long version) {

    static SubsystemStatus of(SubsystemState state, long version) {
        return new SubsystemStatus(state.nqn(), state.nodeId(), state.tenant(), state.maxNamespaces(),
                state.liveNamespaces(), state.dedicated(), state.deleted(), version);
    }
}
