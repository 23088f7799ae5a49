package io.interlock.command.subsystem;

import io.interlock.command.gateway.BareId;
import io.interlock.subsystem.NamespaceStatus;
import io.interlock.subsystem.SubsystemState;
import tools.jackson.databind.annotation.JsonSerialize;

/**
 * What namespace commands answer: the namespace, the subsystem's counts after the command, and
 * the subsystem's version (a namespace is an entity of its subsystem, so it has no version of
 * its own). {@code status} is null once the namespace is removed.
 *
 * @param allocated true when this command allocated the namespace, false when it already existed
 */
public record NamespaceAnswer(@JsonSerialize(using = BareId.class) String nqn,
                              @JsonSerialize(using = BareId.class) String nodeId, String lvolId,
                              int nsid, NamespaceStatus status, int liveNamespaces, int maxNamespaces,
                              boolean allocated, long version) {

    static NamespaceAnswer of(SubsystemState state, String lvolId, int nsid, boolean allocated, long version) {
        SubsystemState.Namespace namespace = state.namespace(lvolId);
        return new NamespaceAnswer(state.nqn(), state.nodeId(), lvolId, nsid,
                namespace == null ? null : namespace.status(), state.liveNamespaces(), state.maxNamespaces(),
                allocated, version);
    }
}
