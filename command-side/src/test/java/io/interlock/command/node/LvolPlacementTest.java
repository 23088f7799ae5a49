package io.interlock.command.node;

import io.interlock.command.node.LvolPlacementCommands.AbandonLvolPlacement;
import io.interlock.command.node.LvolPlacementCommands.ClaimLvolPlacement;
import io.interlock.command.node.LvolPlacementCommands.RecordLvolPlaced;
import io.interlock.command.support.Rejected;
import io.interlock.lifecycle.Rejection.Reason;
import io.interlock.node.LvolPlacementEvents.LvolPlacementAbandoned;
import io.interlock.node.LvolPlacementEvents.LvolPlacementClaimed;
import io.interlock.node.LvolPlacementEvents.LvolPlaced;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

/** The placement of one lvol on one node: one claim at a time, a lease, and its result for everyone else. */
class LvolPlacementTest {

    private static final String NODE = "node-1";
    private static final String LVOL = "lv-a";
    private static final String NQN = "nqn.2026-01.io.interlock:node-1:aaaa";
    private static final Duration LEASE = Duration.ofSeconds(60);
    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
    private static final LvolPlacementClaimed P1_CLAIMED = new LvolPlacementClaimed(NODE, LVOL, "p1",
            T0.plus(LEASE), null);
    private AggregateTestFixture<LvolPlacement> fixture;

    @BeforeEach
    void fixture() {
        fixture = new AggregateTestFixture<>(LvolPlacement.class);
    }

    private static ClaimLvolPlacement claim(String placementId, String gone) {
        return new ClaimLvolPlacement(NODE, LVOL, placementId, LEASE, gone);
    }

    @Test
    void theFirstPlacementClaimsAFreeLvolForItsLease() {
        fixture.givenCurrentTime(T0)
                .when(claim("p1", null))
                .expectEvents(P1_CLAIMED)
                .expectResultMessagePayload(new LvolPlacementAnswer(NODE, LVOL, "p1", T0.plus(LEASE), null, 0, 0));
    }

    @Test
    void anotherPlacementWhileTheClaimHoldsIsARetryableLockHeld() {
        fixture.given(P1_CLAIMED)
                .andGivenCurrentTime(T0.plusSeconds(59))
                .when(claim("p2", null))
                .expectException(Rejected.retryable(Reason.LOCK_HELD))
                .expectNoEvents();
    }

    @Test
    void theHolderClaimingAgainChangesNothing() {
        fixture.given(P1_CLAIMED)
                .andGivenCurrentTime(T0.plusSeconds(1))
                .when(claim("p1", null))
                .expectNoEvents()
                .expectResultMessagePayload(new LvolPlacementAnswer(NODE, LVOL, "p1", T0.plus(LEASE), null, 0, 0));
    }

    /** A placement that stopped half-way pins the lvol only until its lease runs out. */
    @Test
    void aClaimWhoseLeaseRanOutIsTakenOver() {
        fixture.given(P1_CLAIMED)
                .andGivenCurrentTime(T0.plus(LEASE))
                .when(claim("p2", null))
                .expectEvents(new LvolPlacementClaimed(NODE, LVOL, "p2", T0.plus(LEASE).plus(LEASE), "p1"));
    }

    @Test
    void aPlacedLvolAnswersWhereItIsPlaced() {
        fixture.given(P1_CLAIMED, new LvolPlaced(NODE, LVOL, "p1", NQN, 3))
                .andGivenCurrentTime(T0.plus(LEASE.multipliedBy(10)))
                .when(claim("p2", null))
                .expectNoEvents()
                .expectResultMessagePayload(new LvolPlacementAnswer(NODE, LVOL, "p1", null, NQN, 3, 1));
    }

    @Test
    void aPlacementWhoseNamespaceIsGoneIsClaimedAnew() {
        fixture.given(P1_CLAIMED, new LvolPlaced(NODE, LVOL, "p1", NQN, 3))
                .andGivenCurrentTime(T0.plusSeconds(600))
                .when(claim("p2", "p1"))
                .expectEvents(new LvolPlacementClaimed(NODE, LVOL, "p2", T0.plusSeconds(600).plus(LEASE), "p1"));
    }

    /** A racer that saw an older placement gone must not replace the newer one made since. */
    @Test
    void aGoneReportForAnOlderPlacementChangesNothing() {
        fixture.given(P1_CLAIMED, new LvolPlaced(NODE, LVOL, "p1", NQN, 3),
                        new LvolPlacementClaimed(NODE, LVOL, "p2", T0.plusSeconds(600), "p1"),
                        new LvolPlaced(NODE, LVOL, "p2", NQN, 4))
                .when(claim("p3", "p1"))
                .expectNoEvents()
                .expectResultMessagePayload(new LvolPlacementAnswer(NODE, LVOL, "p2", null, NQN, 4, 3));
    }

    @Test
    void theHolderRecordsWhereItPlacedTheLvol() {
        fixture.given(P1_CLAIMED)
                .when(new RecordLvolPlaced(NODE, LVOL, "p1", NQN, 1))
                .expectEvents(new LvolPlaced(NODE, LVOL, "p1", NQN, 1));
    }

    @Test
    void recordingThePlacementAgainChangesNothing() {
        fixture.given(P1_CLAIMED, new LvolPlaced(NODE, LVOL, "p1", NQN, 1))
                .when(new RecordLvolPlaced(NODE, LVOL, "p1", NQN, 1))
                .expectNoEvents();
    }

    @Test
    void aPlacementWhoseClaimWasTakenOverCannotRecordItsResult() {
        fixture.given(P1_CLAIMED, new LvolPlacementClaimed(NODE, LVOL, "p2", T0.plus(LEASE).plus(LEASE), "p1"))
                .when(new RecordLvolPlaced(NODE, LVOL, "p1", NQN, 1))
                .expectException(Rejected.retryable(Reason.LOCK_HELD))
                .expectNoEvents();
    }

    @Test
    void theHolderAbandoningItsClaimFreesTheLvol() {
        fixture.given(P1_CLAIMED)
                .when(new AbandonLvolPlacement(NODE, LVOL, "p1"))
                .expectEvents(new LvolPlacementAbandoned(NODE, LVOL, "p1"));
    }

    @Test
    void anAbandonedLvolIsClaimedByTheNextPlacement() {
        fixture.given(P1_CLAIMED, new LvolPlacementAbandoned(NODE, LVOL, "p1"))
                .andGivenCurrentTime(T0.plusSeconds(1))
                .when(claim("p2", null))
                .expectEvents(new LvolPlacementClaimed(NODE, LVOL, "p2", T0.plusSeconds(1).plus(LEASE), null));
    }

    @Test
    void onlyTheHolderCanAbandonAClaim() {
        fixture.given(P1_CLAIMED)
                .when(new AbandonLvolPlacement(NODE, LVOL, "p2"))
                .expectNoEvents();
    }

    @Test
    void aPlacedLvolCannotBeAbandoned() {
        fixture.given(P1_CLAIMED, new LvolPlaced(NODE, LVOL, "p1", NQN, 1))
                .when(new AbandonLvolPlacement(NODE, LVOL, "p1"))
                .expectNoEvents();
    }
}
