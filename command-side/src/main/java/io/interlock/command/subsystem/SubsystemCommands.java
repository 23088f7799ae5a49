package io.interlock.command.subsystem;

import io.interlock.subsystem.NamespaceAction;
import org.axonframework.modelling.command.TargetAggregateIdentifier;
import org.axonframework.modelling.command.TargetAggregateVersion;

import java.time.Instant;

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

    /**
     * The lvol's namespace, made now if it has none. {@code createBefore} bounds when a new one may
     * be made: null for no bound; a placement passes the end of its claim on the lvol, so a
     * placement that outlived its claim makes nothing; {@link #EXISTING} makes nothing at all and
     * answers only a namespace that is there.
     */
    public record AllocateNamespace(@TargetAggregateIdentifier String nqn, String lvolId, String tenantScope,
                                    @TargetAggregateVersion Long expectedVersion, Instant createBefore) {

        public static final Instant EXISTING = Instant.MIN;

        public AllocateNamespace(String nqn, String lvolId, String tenantScope, Long expectedVersion) {
            this(nqn, lvolId, tenantScope, expectedVersion, null);
        }
    }

    /** Any row of the namespace table: online, release or removed. */
    public record ChangeNamespace(@TargetAggregateIdentifier String nqn, String lvolId, NamespaceAction action,
                                  String tenantScope, @TargetAggregateVersion Long expectedVersion) {
    }
}
