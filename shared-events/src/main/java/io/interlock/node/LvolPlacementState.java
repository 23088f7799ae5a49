package io.interlock.node;

import io.interlock.node.LvolPlacementEvents.LvolPlacementAbandoned;
import io.interlock.node.LvolPlacementEvents.LvolPlacementClaimed;
import io.interlock.node.LvolPlacementEvents.LvolPlacementEvent;
import io.interlock.node.LvolPlacementEvents.LvolPlaced;

import java.time.Instant;

/**
 * The placement of one lvol on one node, and the one pure fold that produces it. It is free (no
 * placement holds it), claimed (a placement is making its namespace) or placed (at {@code nqn},
 * {@code nsid}).
 *
 * @param placementId the placement that claimed or placed it, null when free
 * @param leaseUntil  while claimed, when another placement may take the claim over
 */
public record LvolPlacementState(String nodeId, String lvolId, String placementId, Instant leaseUntil, String nqn,
                                 int nsid) {

    /**
     * The event-store id of an lvol's placement on a node. Ids are one space there; no resource id
     * may contain a colon except an nqn, which starts with {@code nqn.}, so this names nothing else.
     */
    public static String key(String nodeId, String lvolId) {
        return "placement:" + nodeId + "/" + lvolId;
    }

    public boolean free() {
        return placementId == null;
    }

    public boolean placed() {
        return nqn != null;
    }

    public boolean claimedBy(String placement) {
        return !placed() && placement.equals(placementId);
    }

    public static LvolPlacementState evolve(LvolPlacementState state, LvolPlacementEvent event) {
        if (event instanceof LvolPlacementClaimed e) {
            return new LvolPlacementState(e.nodeId(), e.lvolId(), e.placementId(), e.leaseUntil(), null, 0);
        }
        if (event instanceof LvolPlaced e) {
            return new LvolPlacementState(e.nodeId(), e.lvolId(), e.placementId(), null, e.nqn(), e.nsid());
        }
        if (event instanceof LvolPlacementAbandoned e) {
            return new LvolPlacementState(e.nodeId(), e.lvolId(), null, null, null, 0);
        }
        throw new IllegalArgumentException("Not an lvol placement event: " + event);
    }
}
