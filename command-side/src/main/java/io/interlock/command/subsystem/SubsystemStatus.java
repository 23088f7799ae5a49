package io.interlock.command.subsystem;

import io.interlock.command.gateway.BareId;
import io.interlock.subsystem.SubsystemState;
import tools.jackson.databind.annotation.JsonSerialize;

/** What subsystem-wide commands answer: the id, every state field, and the version. */
public record SubsystemStatus(@JsonSerialize(using = BareId.class) String nqn,
                              @JsonSerialize(using = BareId.class) String nodeId, String tenant,
                              int maxNamespaces, int liveNamespaces, boolean dedicated, boolean deleted,
                              long version) {

    static SubsystemStatus of(SubsystemState state, long version) {
        return new SubsystemStatus(state.nqn(), state.nodeId(), state.tenant(), state.maxNamespaces(),
                state.liveNamespaces(), state.dedicated(), state.deleted(), version);
    }
}
