package io.interlock.command.node;

import io.interlock.command.node.NodeCommands.ClaimSubsystemSlot;
import io.interlock.command.node.NodeCommands.RegisterNode;
import io.interlock.command.node.NodeCommands.ReleaseSubsystemSlot;
import io.interlock.command.support.Rejected;
import io.interlock.lifecycle.Rejection.Reason;
import io.interlock.node.NodeEvents.NodeRegistered;
import io.interlock.node.NodeEvents.SubsystemSlotClaimed;
import io.interlock.node.NodeEvents.SubsystemSlotReleased;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The node aggregate: the authority on subsystem slots. */
class NodeTest {

    private static final String NODE = "node-1";
    private AggregateTestFixture<Node> fixture;

    @BeforeEach
    void fixture() {
        fixture = new AggregateTestFixture<>(Node.class);
    }

    @Test
    void registeringANodeRecordsItsSlots() {
        fixture.givenNoPriorActivity()
                .when(new RegisterNode(NODE, "acme", 3))
                .expectSuccessfulHandlerExecution()
                .expectEvents(new NodeRegistered(NODE, "acme", 3));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1, 1025})
    void aSlotCountOutOfRangeIsAValidationRejection(int maxSubsystems) {
        fixture.givenNoPriorActivity()
                .when(new RegisterNode(NODE, "acme", maxSubsystems))
                .expectException(Rejected.with(Reason.VALIDATION))
                .expectNoEvents();
    }

    @Test
    void aSlotIsClaimedWhileTheNodeHasRoom() {
        fixture.given(new NodeRegistered(NODE, "acme", 2), new SubsystemSlotClaimed(NODE, "nqn-a"))
                .when(new ClaimSubsystemSlot(NODE, "nqn-b", null))
                .expectEvents(new SubsystemSlotClaimed(NODE, "nqn-b"))
                .expectResultMessagePayload(new NodeStatus(NODE, "acme", 2, 2, 2));
    }

    @Test
    void aFullNodeRefusesAnotherSlotWithCapacityExhausted() {
        fixture.given(new NodeRegistered(NODE, "acme", 2), new SubsystemSlotClaimed(NODE, "nqn-a"),
                        new SubsystemSlotClaimed(NODE, "nqn-b"))
                .when(new ClaimSubsystemSlot(NODE, "nqn-c", null))
                .expectException(Rejected.with(Reason.CAPACITY_EXHAUSTED))
                .expectNoEvents();
    }

    @Test
    void aReleasedSlotCanBeClaimedAgain() {
        fixture.given(new NodeRegistered(NODE, "acme", 1), new SubsystemSlotClaimed(NODE, "nqn-a"),
                        new SubsystemSlotReleased(NODE, "nqn-a"))
                .when(new ClaimSubsystemSlot(NODE, "nqn-b", null))
                .expectEvents(new SubsystemSlotClaimed(NODE, "nqn-b"));
    }

    @Test
    void anNqnThatAlreadyHoldsASlotIsAlreadyExists() {
        fixture.given(new NodeRegistered(NODE, "acme", 5), new SubsystemSlotClaimed(NODE, "nqn-a"))
                .when(new ClaimSubsystemSlot(NODE, "nqn-a", null))
                .expectException(Rejected.with(Reason.ALREADY_EXISTS))
                .expectNoEvents();
    }

    @Test
    void releasingASlotTheNodeDoesNotHoldChangesNothing() {
        fixture.given(new NodeRegistered(NODE, "acme", 5), new SubsystemSlotClaimed(NODE, "nqn-a"))
                .when(new ReleaseSubsystemSlot(NODE, "nqn-other"))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }

    @Test
    void releasingAHeldSlotFreesIt() {
        fixture.given(new NodeRegistered(NODE, "acme", 5), new SubsystemSlotClaimed(NODE, "nqn-a"))
                .when(new ReleaseSubsystemSlot(NODE, "nqn-a"))
                .expectEvents(new SubsystemSlotReleased(NODE, "nqn-a"))
                .expectResultMessagePayload(new NodeStatus(NODE, "acme", 5, 0, 2));
    }

    @Test
    void anotherTenantsNodeIsNotFound() {
        fixture.given(new NodeRegistered(NODE, "acme", 5))
                .when(new ClaimSubsystemSlot(NODE, "nqn-a", "globex"))
                .expectException(Rejected.with(Reason.NOT_FOUND))
                .expectNoEvents();
    }
}
