package io.interlock.command.process;

import io.interlock.command.gateway.CommandDispatcher;
import io.interlock.command.node.NodeCommands.ClaimSubsystemSlot;
import io.interlock.command.node.NodeCommands.ReleaseSubsystemSlot;
import io.interlock.command.node.NodeStatus;
import io.interlock.command.subsystem.SubsystemCommands.CreateSubsystem;
import io.interlock.command.subsystem.SubsystemCommands.DeleteSubsystem;
import io.interlock.command.subsystem.SubsystemStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Creating or deleting a subsystem touches two aggregates: the node owns the slot, the subsystem
 * owns itself. Creation claims the slot first, so a full node refuses before anything exists,
 * and gives the slot back when the subsystem cannot be created (its nqn exists, or anything else
 * failed). Deletion deletes the subsystem first, then frees the slot; releasing is idempotent, so
 * a repeated delete finishes a deletion that was interrupted between the two steps.
 *
 * <p>This runs inside the HTTP request rather than as a saga because the caller's answer (201
 * or 409) depends on both steps; a saga would have to answer before knowing.
 */
@Component
public class SubsystemProvisioning {

    private static final Logger log = LoggerFactory.getLogger(SubsystemProvisioning.class);

    private final CommandDispatcher commands;

    public SubsystemProvisioning(CommandDispatcher commands) {
        this.commands = commands;
    }

    /** The subsystem exists on the node, or the node holds no slot for it and the failure is thrown. */
    public SubsystemStatus create(String nodeId, String nqn, int maxNamespaces, boolean dedicated,
                                  String tenantScope) {
        NodeStatus node = commands.send(new ClaimSubsystemSlot(nodeId, nqn, tenantScope));
        try {
            commands.send(new CreateSubsystem(nqn, nodeId, node.tenant(), maxNamespaces, dedicated));
        } catch (RuntimeException failure) {
            giveBack(nodeId, nqn, failure);
            throw failure;
        }
        return new SubsystemStatus(nqn, nodeId, node.tenant(), maxNamespaces, 0, dedicated, false, 0);
    }

    public SubsystemStatus delete(String nqn, String tenantScope, Long expectedVersion) {
        SubsystemStatus deleted = commands.send(new DeleteSubsystem(nqn, tenantScope, expectedVersion));
        commands.send(new ReleaseSubsystemSlot(deleted.nodeId(), nqn));
        return deleted;
    }

    private void giveBack(String nodeId, String nqn, RuntimeException failure) {
        try {
            commands.send(new ReleaseSubsystemSlot(nodeId, nqn));
        } catch (RuntimeException releaseFailed) {
            // The slot stays claimed with no subsystem; a placement stops waiting for it after a while.
            log.error("Could not give back the slot of {} on node {}", nqn, nodeId, releaseFailed);
            failure.addSuppressed(releaseFailed);
        }
    }
}
