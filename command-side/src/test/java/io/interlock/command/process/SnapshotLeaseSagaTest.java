package io.interlock.command.process;

import io.interlock.command.gateway.CommandDispatcher;
import io.interlock.command.share.ShareCommands.ReleaseSnapshotLease;
import io.interlock.share.ShareAction;
import io.interlock.share.ShareEvents.ShareCreatedFromSnapshot;
import io.interlock.share.ShareEvents.ShareStatusReset;
import io.interlock.share.ShareEvents.ShareTaskCompleted;
import io.interlock.share.ShareEvents.ShareTaskFailed;
import io.interlock.share.ShareEvents.ShareTaskStarted;
import io.interlock.share.ShareEvents.ShareTaskTimedOut;
import io.interlock.share.ShareStatus;
import org.axonframework.commandhandling.gateway.DefaultCommandGateway;
import org.axonframework.test.saga.SagaTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Map;

/** The lease saga gives the source snapshot's read lease back when the new share leaves CREATING_FROM_SNAPSHOT. */
class SnapshotLeaseSagaTest {

    private static final String NEW = "share-new";
    private static final String SOURCE = "share-src";
    private static final String SNAP = "snap-1";
    private static final String TASK = "task-copy";

    private SagaTestFixture<SnapshotLeaseSaga> fixture;

    @BeforeEach
    void setUp() {
        fixture = new SagaTestFixture<>(SnapshotLeaseSaga.class);
        fixture.registerResource(new CommandDispatcher(
                DefaultCommandGateway.builder().commandBus(fixture.getCommandBus()).build(), 3));
    }

    private static ShareCreatedFromSnapshot creating() {
        return new ShareCreatedFromSnapshot(NEW, "acme", 10, "NFS", SOURCE, SNAP, TASK);
    }

    @Test
    void creatingFromASnapshotStartsTheSagaAndReleasesNothingYet() {
        fixture.givenNoPriorActivity()
                .whenPublishingA(creating())
                .expectActiveSagas(1)
                .expectNoDispatchedCommands();
    }

    @Test
    void theLeaseIsReleasedWhenTheCopySucceeds() {
        fixture.givenAPublished(creating())
                .whenPublishingA(new ShareTaskCompleted(NEW, ShareAction.CREATE_FROM_SNAPSHOT, TASK,
                        ShareStatus.AVAILABLE, null, null, 10))
                .expectDispatchedCommands(new ReleaseSnapshotLease(SOURCE, SNAP, NEW))
                .expectActiveSagas(0);
    }

    @Test
    void theLeaseIsReleasedWhenTheCopyFails() {
        fixture.givenAPublished(creating())
                .whenPublishingA(new ShareTaskFailed(NEW, ShareAction.CREATE_FROM_SNAPSHOT, TASK, ShareStatus.ERROR,
                        null, null, "copy failed", false))
                .expectDispatchedCommands(new ReleaseSnapshotLease(SOURCE, SNAP, NEW))
                .expectActiveSagas(0);
    }

    @Test
    void theLeaseIsReleasedWhenTheCopyTimesOut() {
        fixture.givenAPublished(creating())
                .whenPublishingA(new ShareTaskTimedOut(NEW, ShareAction.CREATE_FROM_SNAPSHOT, TASK, ShareStatus.ERROR,
                        null, null, "PT1H"))
                .expectDispatchedCommands(new ReleaseSnapshotLease(SOURCE, SNAP, NEW))
                .expectActiveSagas(0);
    }

    @Test
    void theLeaseIsReleasedWhenAnAdminResetsTheNewShare() {
        fixture.givenAPublished(creating())
                .whenPublishingA(new ShareStatusReset(NEW, ShareStatus.ERROR, true, TASK, null, null))
                .expectDispatchedCommands(new ReleaseSnapshotLease(SOURCE, SNAP, NEW))
                .expectActiveSagas(0);
    }

    @Test
    void otherTasksOfTheNewShareDoNotReleaseIt() {
        fixture.givenAPublished(creating())
                .whenPublishingA(new ShareTaskStarted(NEW, ShareAction.EXTEND, "t-x", ShareStatus.EXTENDING,
                        ShareStatus.AVAILABLE, ShareStatus.EXTENDING_ERROR, null, null, null, null, null, null, 20L,
                        Map.of()))
                .expectNoDispatchedCommands()
                .expectActiveSagas(1);
    }

    @Test
    void anotherSharesCompletionDoesNotReleaseIt() {
        fixture.givenAPublished(creating())
                .whenPublishingA(new ShareTaskCompleted("share-other", ShareAction.CREATE_FROM_SNAPSHOT, "t-o",
                        ShareStatus.AVAILABLE, null, null, 10))
                .expectNoDispatchedCommands()
                .expectActiveSagas(1);
    }
}
