package io.interlock.node;

import java.time.Instant;

/**
 * What happened to the placement of one lvol on one node. Every placement of an lvol on a node
 * first claims it here, so racing placements on any replica are settled by this one small event
 * stream: one claims and places it, the others answer with its result. Placements of different
 * lvols never share a stream.
 */
public final class LvolPlacementEvents {

    private LvolPlacementEvents() {
    }

    /** Every lvol placement event; the fold in {@link LvolPlacementState} accepts exactly these. */
    public sealed interface LvolPlacementEvent permits LvolPlacementClaimed, LvolPlaced, LvolPlacementAbandoned {
        String nodeId();

        String lvolId();

        String placementId();
    }

    /**
     * A placement holds the lvol until {@code leaseUntil}, and no other may make a namespace for it
     * meanwhile.
     *
     * @param replaces the placement this one took over: a claim whose lease ran out (its placement
     *                 stopped half-way), or a placement whose namespace is gone; null when the lvol
     *                 was free
     */
    public record LvolPlacementClaimed(String nodeId, String lvolId, String placementId, Instant leaseUntil,
                                       String replaces) implements LvolPlacementEvent {
    }

    /** The claim's placement got its namespace: every later placement of the lvol answers with it. */
    public record LvolPlaced(String nodeId, String lvolId, String placementId, String nqn, int nsid)
            implements LvolPlacementEvent {
    }

    /** The claim's placement failed and gave the lvol back before making a namespace for it. */
    public record LvolPlacementAbandoned(String nodeId, String lvolId, String placementId)
            implements LvolPlacementEvent {
    }
}
