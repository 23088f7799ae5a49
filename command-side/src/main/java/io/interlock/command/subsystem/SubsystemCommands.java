package io.interlock.command.subsystem;

import io.interlock.subsystem.NamespaceAction;
import org.axonframework.modelling.command.TargetAggregateIdentifier;
import org.axonframework.modelling.command.TargetAggregateVersion;

/**
 * What callers ask of subsystems and their namespaces. Creating and deleting a subsystem also
 * moves a node slot, so those two are sent by {@code process/SubsystemProvisioning}, which
 * claims the slot first and gives it back when needed. {@code tenantScope} is the caller's tenant,
 * or null for callers that serve every tenant.
 */
public final class SubsystemCommands {

    private SubsystemCommands() {
    }

    /** Sent only after the node granted a slot; {@code tenant} is the node's. */
    public record CreateSubsystem(@TargetAggregateIdentifier String nqn, String nodeId, String tenant,
                                  int maxNamespaces, boolean dedicated) {
    }

    public record DeleteSubsystem(@TargetAggregateIdentifier String nqn, String tenantScope,
                                  @TargetAggregateVersion Long expectedVersion) {
    }

    public record AllocateNamespace(@TargetAggregateIdentifier String nqn, String lvolId, String tenantScope,
                                    @TargetAggregateVersion Long expectedVersion) {
    }

    /** Any row of the namespace table: online, release or removed. */
    public record ChangeNamespace(@TargetAggregateIdentifier String nqn, String lvolId, NamespaceAction action,
                                  String tenantScope, @TargetAggregateVersion Long expectedVersion) {
    }
}
