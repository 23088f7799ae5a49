package io.interlock.command.process;

import io.interlock.command.gateway.CommandDispatcher;
import io.interlock.command.share.ShareCommands.ReleaseSnapshotLease;
import io.interlock.share.ShareAction;
import io.interlock.share.ShareEvents.ShareCreatedFromSnapshot;
import io.interlock.share.ShareEvents.ShareStatusReset;
import io.interlock.share.ShareEvents.ShareTaskCompleted;
import io.interlock.share.ShareEvents.ShareTaskFailed;
import io.interlock.share.ShareEvents.ShareTaskTimedOut;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.modelling.saga.SagaEventHandler;
import org.axonframework.modelling.saga.SagaLifecycle;
import org.axonframework.modelling.saga.StartSaga;
import org.axonframework.spring.stereotype.Saga;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Gives back the read lease a share created from a snapshot holds on its source,
 * once the new share leaves CREATING_FROM_SNAPSHOT: the agent completed or failed the copy, its
 * deadline fired, or an admin reset the share. Releasing is idempotent, so a redelivered event
 * does no harm; if this saga never runs (a crashed process), the lease's own expiry frees the
 * snapshot.
 *
 * <p>The saga is stored in the JPA saga store through Jackson: its state is three strings with
 * accessors; the command dispatcher is injected again on every load and never serialized.
 */
@Saga
public class SnapshotLeaseSaga {

    /** The processing group Axon gives this saga; one segment, claimed by one replica at a time. */
    public static final String PROCESSOR = "SnapshotLeaseSagaProcessor";

    @Autowired
    private transient CommandDispatcher commands;

    private String shareId;
    private String sourceShareId;
    private String snapshotId;

    @StartSaga
    @SagaEventHandler(associationProperty = "shareId")
    public void on(ShareCreatedFromSnapshot event) {
        shareId = event.shareId();
        sourceShareId = event.sourceShareId();
        snapshotId = event.snapshotId();
    }

    @SagaEventHandler(associationProperty = "shareId")
    public void on(ShareTaskCompleted event) {
        releaseWhen(event.action());
    }

    @SagaEventHandler(associationProperty = "shareId")
    public void on(ShareTaskFailed event) {
        releaseWhen(event.action());
    }

    @SagaEventHandler(associationProperty = "shareId")
    public void on(ShareTaskTimedOut event) {
        releaseWhen(event.action());
    }

    /** An admin's reset ends the creation too: the share is no longer being copied from the snapshot. */
    @SagaEventHandler(associationProperty = "shareId")
    public void on(ShareStatusReset event) {
        release();
    }

    private void releaseWhen(ShareAction action) {
        if (action == ShareAction.CREATE_FROM_SNAPSHOT) {
            release();
        }
    }

    private void release() {
        try {
            commands.send(new ReleaseSnapshotLease(sourceShareId, snapshotId, shareId));
        } catch (AggregateNotFoundException gone) {
            // no source share: no lease to give back
        }
        SagaLifecycle.end();
    }

    public String getShareId() {
        return shareId;
    }

    public void setShareId(String shareId) {
        this.shareId = shareId;
    }

    public String getSourceShareId() {
        return sourceShareId;
    }

    public void setSourceShareId(String sourceShareId) {
        this.sourceShareId = sourceShareId;
    }

    public String getSnapshotId() {
        return snapshotId;
    }

    public void setSnapshotId(String snapshotId) {
        this.snapshotId = snapshotId;
    }
}
