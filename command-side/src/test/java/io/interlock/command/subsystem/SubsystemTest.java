package io.interlock.command.subsystem;

import io.interlock.command.subsystem.SubsystemCommands.AllocateNamespace;
import io.interlock.command.subsystem.SubsystemCommands.ChangeNamespace;
import io.interlock.command.subsystem.SubsystemCommands.CreateSubsystem;
import io.interlock.command.subsystem.SubsystemCommands.DeleteSubsystem;
import io.interlock.command.support.Rejected;
import io.interlock.lifecycle.Rejection.Reason;
import io.interlock.subsystem.NamespaceAction;
import io.interlock.subsystem.NamespaceStatus;
import io.interlock.subsystem.NamespaceTransitions;
import io.interlock.subsystem.SubsystemEvents.NamespaceAllocated;
import io.interlock.subsystem.SubsystemEvents.NamespaceOnline;
import io.interlock.subsystem.SubsystemEvents.NamespaceReleased;
import io.interlock.subsystem.SubsystemEvents.NamespaceRemoved;
import io.interlock.subsystem.SubsystemEvents.SubsystemCreated;
import io.interlock.subsystem.SubsystemEvents.SubsystemDeleted;
import io.interlock.subsystem.SubsystemEvents.SubsystemEvent;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.axonframework.test.matchers.Matchers.predicate;

/** The subsystem aggregate: the authority on namespace slots and nsids. */
class SubsystemTest {

    private static final String NQN = "nqn.2026-01.io.interlock:node-1:test";
    private static final SubsystemCreated CREATED = new SubsystemCreated(NQN, "node-1", "acme", 2, false);
    private AggregateTestFixture<Subsystem> fixture;

    @BeforeEach
    void fixture() {
        fixture = new AggregateTestFixture<>(Subsystem.class);
    }

    private static AllocateNamespace allocate(String lvolId) {
        return new AllocateNamespace(NQN, lvolId, null, null);
    }

    private static ChangeNamespace change(String lvolId, NamespaceAction action) {
        return new ChangeNamespace(NQN, lvolId, action, null, null);
    }

    @Test
    void creatingASubsystemRecordsItsNodeAndSlots() {
        fixture.givenNoPriorActivity()
                .when(new CreateSubsystem(NQN, "node-1", "acme", 32, false))
                .expectEvents(new SubsystemCreated(NQN, "node-1", "acme", 32, false));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 51})
    void aSlotCountOutOfRangeIsAValidationRejection(int maxNamespaces) {
        fixture.givenNoPriorActivity()
                .when(new CreateSubsystem(NQN, "node-1", "acme", maxNamespaces, false))
                .expectException(Rejected.with(Reason.VALIDATION))
                .expectNoEvents();
    }

    @Test
    void theFirstNamespaceGetsNsidOne() {
        fixture.given(CREATED)
                .when(allocate("lvol-a"))
                .expectEvents(new NamespaceAllocated(NQN, "lvol-a", 1))
                .expectResultMessagePayload(new NamespaceAnswer(NQN, "node-1", "lvol-a", 1,
                        NamespaceStatus.IN_CREATION, 1, 2, true, 1));
    }

    @Test
    void allocationTakesTheLowestFreeNsidAfterARemoval() {
        fixture.given(new SubsystemCreated(NQN, "node-1", "acme", 8, false),
                        new NamespaceAllocated(NQN, "lvol-a", 1), new NamespaceAllocated(NQN, "lvol-b", 2),
                        new NamespaceAllocated(NQN, "lvol-c", 3), new NamespaceReleased(NQN, "lvol-b", 2),
                        new NamespaceRemoved(NQN, "lvol-b", 2))
                .when(allocate("lvol-d"))
                .expectEvents(new NamespaceAllocated(NQN, "lvol-d", 2));
    }

    /** The target still exposes a namespace until it is removed, so its nsid is not handed out. */
    @Test
    void aNamespaceInDeletionFreesItsSlotButKeepsItsNsid() {
        fixture.given(CREATED, new NamespaceAllocated(NQN, "lvol-a", 1), new NamespaceAllocated(NQN, "lvol-b", 2),
                        new NamespaceReleased(NQN, "lvol-a", 1))
                .when(allocate("lvol-c"))
                .expectEvents(new NamespaceAllocated(NQN, "lvol-c", 3));
    }

    @Test
    void theSameLvolTwiceGetsTheSameNsidAndNoNewEvent() {
        fixture.given(CREATED, new NamespaceAllocated(NQN, "lvol-a", 1), new NamespaceAllocated(NQN, "lvol-b", 2))
                .when(allocate("lvol-a"))
                .expectNoEvents()
                .expectResultMessagePayloadMatching(predicate((NamespaceAnswer a) -> a.nsid() == 1 && !a.allocated()));
    }

    @Test
    void repeatingAnAllocationOnAFullSubsystemStillAnswersItsNsid() {
        fixture.given(CREATED, new NamespaceAllocated(NQN, "lvol-a", 1), new NamespaceAllocated(NQN, "lvol-b", 2))
                .when(allocate("lvol-b"))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }

    /** What a placement that does not hold the lvol's claim asks: the namespace if it is there, never a new one. */
    @Test
    void anExistingOnlyAllocationAnswersTheNamespaceButNeverMakesOne() {
        fixture.given(CREATED, new NamespaceAllocated(NQN, "lvol-a", 1))
                .when(new AllocateNamespace(NQN, "lvol-a", null, null, AllocateNamespace.EXISTING))
                .expectNoEvents()
                .expectResultMessagePayloadMatching(predicate((NamespaceAnswer a) -> a.nsid() == 1 && !a.allocated()));
        fixture.given(CREATED)
                .when(new AllocateNamespace(NQN, "lvol-b", null, null, AllocateNamespace.EXISTING))
                .expectException(Rejected.with(Reason.NOT_FOUND))
                .expectNoEvents();
    }

    /** A placement whose claim on the lvol may have run out makes no namespace that the next one cannot see. */
    @Test
    void anAllocationPastItsPlacementsFenceIsARetryableLockHeld() {
        Instant now = Instant.parse("2026-12-01T10:00:00Z");
        fixture.given(CREATED)
                .andGivenCurrentTime(now)
                .when(new AllocateNamespace(NQN, "lvol-a", null, null, now))
                .expectException(Rejected.retryable(Reason.LOCK_HELD))
                .expectNoEvents();
        fixture.given(CREATED)
                .andGivenCurrentTime(now)
                .when(new AllocateNamespace(NQN, "lvol-a", null, null, now.plusSeconds(1)))
                .expectEvents(new NamespaceAllocated(NQN, "lvol-a", 1));
    }

    @Test
    void aFullSubsystemRefusesWithCapacityExhausted() {
        fixture.given(CREATED, new NamespaceAllocated(NQN, "lvol-a", 1), new NamespaceAllocated(NQN, "lvol-b", 2))
                .when(allocate("lvol-c"))
                .expectException(Rejected.with(Reason.CAPACITY_EXHAUSTED))
                .expectNoEvents();
    }

    @Test
    void slotLimitsHoldExactlyAtMaxNamespaces() {
        List<SubsystemEvent> full = new ArrayList<>();
        full.add(new SubsystemCreated(NQN, "node-1", "acme", 50, false));
        for (int nsid = 1; nsid <= 50; nsid++) {
            full.add(new NamespaceAllocated(NQN, "lvol-" + nsid, nsid));
        }
        fixture.given(full.subList(0, 50).toArray())
                .when(allocate("lvol-50"))
                .expectEvents(new NamespaceAllocated(NQN, "lvol-50", 50));
        fixture.given(full.toArray())
                .when(allocate("lvol-51"))
                .expectException(Rejected.with(Reason.CAPACITY_EXHAUSTED));
    }

    @Test
    void aReleasedNamespaceNoLongerCountsAgainstTheLimit() {
        fixture.given(CREATED, new NamespaceAllocated(NQN, "lvol-a", 1), new NamespaceAllocated(NQN, "lvol-b", 2),
                        new NamespaceReleased(NQN, "lvol-a", 1))
                .when(allocate("lvol-c"))
                .expectSuccessfulHandlerExecution()
                .expectEvents(new NamespaceAllocated(NQN, "lvol-c", 3));
    }

    @Test
    void aNamespaceGoesOnlineThenInDeletionThenIsRemoved() {
        fixture.given(CREATED, new NamespaceAllocated(NQN, "lvol-a", 1))
                .when(change("lvol-a", NamespaceAction.ONLINE))
                .expectEvents(new NamespaceOnline(NQN, "lvol-a", 1));
        fixture.given(CREATED, new NamespaceAllocated(NQN, "lvol-a", 1), new NamespaceOnline(NQN, "lvol-a", 1))
                .when(change("lvol-a", NamespaceAction.RELEASE))
                .expectEvents(new NamespaceReleased(NQN, "lvol-a", 1));
        fixture.given(CREATED, new NamespaceAllocated(NQN, "lvol-a", 1), new NamespaceReleased(NQN, "lvol-a", 1))
                .when(change("lvol-a", NamespaceAction.REMOVE))
                .expectEvents(new NamespaceRemoved(NQN, "lvol-a", 1));
    }

    /** Walks every namespace action from every status: the aggregate does what the table says. */
    @ParameterizedTest
    @EnumSource(NamespaceAction.class)
    void everyNamespaceActionFollowsTheTableFromEveryStatus(NamespaceAction action) {
        NamespaceTransitions.Row row = NamespaceTransitions.row(action);
        for (NamespaceStatus status : NamespaceStatus.values()) {
            List<Object> given = new ArrayList<>(List.of(CREATED, new NamespaceAllocated(NQN, "lvol-a", 1)));
            switch (status) {
                case ONLINE -> given.add(new NamespaceOnline(NQN, "lvol-a", 1));
                case IN_DELETION -> given.add(new NamespaceReleased(NQN, "lvol-a", 1));
                case IN_CREATION -> {
                }
            }
            var result = fixture.given(given).when(change("lvol-a", action));
            switch (NamespaceTransitions.check(status, action)) {
                case ALLOWED -> result.expectEvents(switch (action) {
                    case ONLINE -> new NamespaceOnline(NQN, "lvol-a", 1);
                    case RELEASE -> new NamespaceReleased(NQN, "lvol-a", 1);
                    case REMOVE -> new NamespaceRemoved(NQN, "lvol-a", 1);
                }).expectResultMessagePayloadMatching(predicate((NamespaceAnswer a) -> a.status() == row.to()));
                case REPEAT -> result.expectSuccessfulHandlerExecution().expectNoEvents();
                case REFUSED -> result.expectException(Rejected.with(Reason.INVALID_STATE)).expectNoEvents();
            }
        }
    }

    @Test
    void repeatingOnlineOrReleaseAddsNothing() {
        fixture.given(CREATED, new NamespaceAllocated(NQN, "lvol-a", 1), new NamespaceOnline(NQN, "lvol-a", 1))
                .when(change("lvol-a", NamespaceAction.ONLINE))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
        fixture.given(CREATED, new NamespaceAllocated(NQN, "lvol-a", 1), new NamespaceReleased(NQN, "lvol-a", 1))
                .when(change("lvol-a", NamespaceAction.RELEASE))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }

    @Test
    void onlineIsRefusedForANamespaceInDeletion() {
        fixture.given(CREATED, new NamespaceAllocated(NQN, "lvol-a", 1), new NamespaceReleased(NQN, "lvol-a", 1))
                .when(change("lvol-a", NamespaceAction.ONLINE))
                .expectException(Rejected.with(Reason.INVALID_STATE))
                .expectNoEvents();
    }

    @Test
    void removedIsRefusedForANamespaceNotInDeletion() {
        fixture.given(CREATED, new NamespaceAllocated(NQN, "lvol-a", 1), new NamespaceOnline(NQN, "lvol-a", 1))
                .when(change("lvol-a", NamespaceAction.REMOVE))
                .expectException(Rejected.with(Reason.INVALID_STATE))
                .expectNoEvents();
    }

    @Test
    void allocatingAnLvolWhoseNamespaceIsInDeletionIsRefused() {
        fixture.given(CREATED, new NamespaceAllocated(NQN, "lvol-a", 1), new NamespaceReleased(NQN, "lvol-a", 1))
                .when(allocate("lvol-a"))
                .expectException(Rejected.with(Reason.INVALID_STATE))
                .expectNoEvents();
    }

    @Test
    void anUnknownNamespaceIsNotFound() {
        fixture.given(CREATED)
                .when(change("lvol-x", NamespaceAction.ONLINE))
                .expectException(Rejected.with(Reason.NOT_FOUND))
                .expectNoEvents();
    }

    @Test
    void aSubsystemWithNamespacesCannotBeDeleted() {
        fixture.given(CREATED, new NamespaceAllocated(NQN, "lvol-a", 1), new NamespaceReleased(NQN, "lvol-a", 1))
                .when(new DeleteSubsystem(NQN, null, null))
                .expectException(Rejected.with(Reason.INVALID_STATE))
                .expectNoEvents();
    }

    @Test
    void anEmptySubsystemIsDeletedOnceAndARepeatAddsNothing() {
        fixture.given(CREATED, new NamespaceAllocated(NQN, "lvol-a", 1), new NamespaceReleased(NQN, "lvol-a", 1),
                        new NamespaceRemoved(NQN, "lvol-a", 1))
                .when(new DeleteSubsystem(NQN, null, null))
                .expectEvents(new SubsystemDeleted(NQN, "node-1"));
        fixture.given(CREATED, new SubsystemDeleted(NQN, "node-1"))
                .when(new DeleteSubsystem(NQN, null, null))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }

    @Test
    void aDeletedSubsystemRefusesAllocations() {
        fixture.given(CREATED, new SubsystemDeleted(NQN, "node-1"))
                .when(allocate("lvol-a"))
                .expectException(Rejected.with(Reason.INVALID_STATE))
                .expectNoEvents();
    }

    @Test
    void anotherTenantsSubsystemIsNotFound() {
        fixture.given(CREATED)
                .when(new AllocateNamespace(NQN, "lvol-a", "globex", null))
                .expectException(Rejected.with(Reason.NOT_FOUND))
                .expectNoEvents();
    }
}
