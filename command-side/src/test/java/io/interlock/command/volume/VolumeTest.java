package io.interlock.command.volume;

import io.interlock.command.volume.VolumeCommands.AcquireRepairLock;
import io.interlock.command.volume.VolumeCommands.DeleteVolume;
import io.interlock.command.volume.VolumeCommands.RegisterVolume;
import io.interlock.command.volume.VolumeCommands.ReleaseRepairLock;
import io.interlock.lifecycle.Rejection;
import io.interlock.volume.DeletionStatus;
import io.interlock.volume.VolumeEvents.VolumeDeleted;
import io.interlock.volume.VolumeEvents.VolumeRegistered;
import io.interlock.volume.VolumeEvents.VolumeRepairLockAcquired;
import io.interlock.volume.VolumeEvents.VolumeRepairLockReleased;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static io.interlock.command.support.Matching.rejected;
import static io.interlock.command.support.Matching.where;

/** The volume's deletion status and its repair lock. */
class VolumeTest {

    private static final String V = "vol-1";
    private static final String A = "replacement/r-1";
    private static final String B = "replacement/r-2/steps/vol-1";

    private AggregateTestFixture<Volume> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(Volume.class);
    }

    @Test
    void registeringAVolumeMakesItActiveAndUnlocked() {
        fixture.givenNoPriorActivity()
                .when(new RegisterVolume(V))
                .expectEvents(new VolumeRegistered(V));
    }

    @Test
    void aFreeLockIsTaken() {
        fixture.given(new VolumeRegistered(V))
                .when(new AcquireRepairLock(V, A))
                .expectEvents(new VolumeRepairLockAcquired(V, A))
                .expectResultMessagePayloadMatching(where("taken by A", LockAnswer.class,
                        answer -> answer.taken() && A.equals(answer.volume().lockHolder())));
    }

    @Test
    void theSameHolderAskingAgainIsIdempotent() {
        fixture.given(new VolumeRegistered(V), new VolumeRepairLockAcquired(V, A))
                .when(new AcquireRepairLock(V, A))
                .expectNoEvents()
                .expectResultMessagePayloadMatching(where("held, not newly taken", LockAnswer.class,
                        answer -> !answer.taken() && A.equals(answer.volume().lockHolder())));
    }

    @Test
    void anotherHolderIsRefusedWithLockHeld() {
        fixture.given(new VolumeRegistered(V), new VolumeRepairLockAcquired(V, A))
                .when(new AcquireRepairLock(V, B))
                .expectNoEvents()
                .expectException(rejected(Rejection.Reason.LOCK_HELD));
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void nobodyTakesTheLockOfADeletedVolume(boolean hard) {
        fixture.given(new VolumeRegistered(V),
                        new VolumeDeleted(V, hard ? DeletionStatus.HARD_DELETED : DeletionStatus.SOFT_DELETED, null))
                .when(new AcquireRepairLock(V, A))
                .expectNoEvents()
                .expectException(rejected(Rejection.Reason.LOCK_HELD));
    }

    @Test
    void evenTheHolderCannotRetakeTheLockOnceTheVolumeIsDeleted() {
        fixture.given(new VolumeRegistered(V), new VolumeRepairLockAcquired(V, A),
                        new VolumeDeleted(V, DeletionStatus.SOFT_DELETED, A))
                .when(new AcquireRepairLock(V, A))
                .expectException(rejected(Rejection.Reason.LOCK_HELD));
    }

    @Test
    void theHolderReleasesTheLock() {
        fixture.given(new VolumeRegistered(V), new VolumeRepairLockAcquired(V, A))
                .when(new ReleaseRepairLock(V, A))
                .expectEvents(new VolumeRepairLockReleased(V, A));
    }

    @Test
    void releasingALockSomeoneElseHoldsChangesNothing() {
        fixture.given(new VolumeRegistered(V), new VolumeRepairLockAcquired(V, A))
                .when(new ReleaseRepairLock(V, B))
                .expectNoEvents()
                .expectResultMessagePayloadMatching(where("still held by A", VolumeStatus.class,
                        status -> A.equals(status.lockHolder())));
    }

    @Test
    void aDeletedVolumesLockCanStillBeGivenBack() {
        fixture.given(new VolumeRegistered(V), new VolumeRepairLockAcquired(V, A),
                        new VolumeDeleted(V, DeletionStatus.HARD_DELETED, A))
                .when(new ReleaseRepairLock(V, A))
                .expectEvents(new VolumeRepairLockReleased(V, A));
    }

    @Test
    void deletionRecordsWhoHeldTheLock() {
        fixture.given(new VolumeRegistered(V), new VolumeRepairLockAcquired(V, B))
                .when(new DeleteVolume(V, false, null))
                .expectEvents(new VolumeDeleted(V, DeletionStatus.SOFT_DELETED, B));
    }

    @Test
    void aSoftDeletedVolumeCanBeHardDeleted() {
        fixture.given(new VolumeRegistered(V), new VolumeDeleted(V, DeletionStatus.SOFT_DELETED, null))
                .when(new DeleteVolume(V, true, null))
                .expectEvents(new VolumeDeleted(V, DeletionStatus.HARD_DELETED, null));
    }

    @Test
    void repeatingADeleteAddsNothing() {
        fixture.given(new VolumeRegistered(V), new VolumeDeleted(V, DeletionStatus.SOFT_DELETED, null))
                .when(new DeleteVolume(V, false, null))
                .expectNoEvents()
                .expectResultMessagePayloadMatching(where("soft-deleted", VolumeStatus.class,
                        status -> status.deletionStatus() == DeletionStatus.SOFT_DELETED));
    }

    @Test
    void aSoftDeleteNeverUndoesAHardOne() {
        fixture.given(new VolumeRegistered(V), new VolumeDeleted(V, DeletionStatus.HARD_DELETED, null))
                .when(new DeleteVolume(V, false, null))
                .expectNoEvents()
                .expectResultMessagePayloadMatching(where("still hard-deleted", VolumeStatus.class,
                        status -> status.deletionStatus() == DeletionStatus.HARD_DELETED));
    }
}
