package io.interlock.command.node;

import org.axonframework.modelling.command.TargetAggregateIdentifier;
import org.axonframework.modelling.command.TargetAggregateVersion;

/**
 * What callers ask of storage nodes. Slots are claimed and released by the storage processes
 * ({@code process/}), never directly over HTTP. {@code tenantScope} is the caller's tenant, or
 * null for callers that serve every tenant.
 */
public final class NodeCommands {

    private NodeCommands() {
    }

    public record RegisterNode(@TargetAggregateIdentifier String nodeId, String tenant, int maxSubsystems) {
    }

    /** Hold a slot for {@code nqn}; refused when the node is full or already holds that nqn. */
    public record ClaimSubsystemSlot(@TargetAggregateIdentifier String nodeId, String nqn, String tenantScope) {
    }

    /**
     * Changes nothing: answers 412 when the node has moved on from {@code expectedVersion}, for a
     * request that acts on the node (a placement) under {@code If-Match}.
     */
    public record ConfirmNodeVersion(@TargetAggregateIdentifier String nodeId, String tenantScope,
                                     @TargetAggregateVersion Long expectedVersion) {
    }

    /** Give the slot of {@code nqn} back; releasing a slot the node does not hold changes nothing. */
    public record ReleaseSubsystemSlot(@TargetAggregateIdentifier String nodeId, String nqn) {
    }
}
