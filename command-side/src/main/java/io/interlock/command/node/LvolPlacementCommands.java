package io.interlock.command.node;

import io.interlock.node.LvolPlacementState;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.time.Duration;

/**
 * What placement ({@code process/Placement}) asks of an lvol's placement on a node; never sent
 * over HTTP directly. Placement checks the node and the caller's tenant before it claims, so no
 * stream is made for a node that is not there.
 */
public final class LvolPlacementCommands {

    private LvolPlacementCommands() {
    }

    /**
     * Claim the lvol for {@code placementId} for {@code lease}, or learn where it is placed.
     *
     * @param gonePlacementId the placement whose namespace the sender found gone, so the lvol may be
     *                        placed anew; null otherwise
     */
    public record ClaimLvolPlacement(@TargetAggregateIdentifier String key, String nodeId, String lvolId,
                                     String placementId, Duration lease, String gonePlacementId) {
        public ClaimLvolPlacement(String nodeId, String lvolId, String placementId, Duration lease,
                                  String gonePlacementId) {
            this(LvolPlacementState.key(nodeId, lvolId), nodeId, lvolId, placementId, lease, gonePlacementId);
        }
    }

    /** The claim's placement made the namespace {@code nqn}, {@code nsid}. */
    public record RecordLvolPlaced(@TargetAggregateIdentifier String key, String placementId, String nqn, int nsid) {
        public RecordLvolPlaced(String nodeId, String lvolId, String placementId, String nqn, int nsid) {
            this(LvolPlacementState.key(nodeId, lvolId), placementId, nqn, nsid);
        }
    }

    /** The claim's placement failed: the lvol is free again. Changes nothing if it holds no claim. */
    public record AbandonLvolPlacement(@TargetAggregateIdentifier String key, String placementId) {
        public AbandonLvolPlacement(String nodeId, String lvolId, String placementId) {
            this(LvolPlacementState.key(nodeId, lvolId), placementId);
        }
    }
}
