package io.interlock.command.node;

import io.interlock.node.LvolPlacementState;

import java.time.Instant;

/**
 * What lvol placement commands answer: who holds the lvol and, once placed, where.
 *
 * @param leaseUntil while claimed, until when the claim holds
 * @param nqn        null until placed
 */
public record LvolPlacementAnswer(String nodeId, String lvolId, String placementId, Instant leaseUntil, String nqn,
                                  int nsid, long version) {

    public boolean claimedBy(String placement) {
        return nqn == null && placement.equals(placementId);
    }

    public boolean placed() {
        return nqn != null;
    }

    static LvolPlacementAnswer of(LvolPlacementState state, long version) {
        return new LvolPlacementAnswer(state.nodeId(), state.lvolId(), state.placementId(), state.leaseUntil(),
                state.nqn(), state.nsid(), version);
    }
}
