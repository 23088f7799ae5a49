package io.interlock.command.volume;

import io.interlock.command.volume.VolumeCommands.AcquireRepairLock;
import io.interlock.command.volume.VolumeCommands.DeleteVolume;
import io.interlock.command.volume.VolumeCommands.RegisterVolume;
import io.interlock.command.volume.VolumeCommands.ReleaseRepairLock;
import io.interlock.lifecycle.Rejection;
import io.interlock.volume.DeletionStatus;
import io.interlock.volume.VolumeEvents.VolumeDeleted;
import io.interlock.volume.VolumeEvents.VolumeEvent;
import io.interlock.volume.VolumeEvents.VolumeRegistered;
import io.interlock.volume.VolumeEvents.VolumeRepairLockAcquired;
import io.interlock.volume.VolumeEvents.VolumeRepairLockReleased;
import io.interlock.volume.VolumeState;
import io.interlock.command.store.SnapshottedByFields;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.eventsourcing.conflictresolution.ConflictResolver;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.spring.stereotype.Aggregate;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

/**
 * A volume: its deletion status and its repair lock. The lock has one holder at a
 * time, and nobody may take it once the volume is deleted. A volume can be deleted at any time,
 * whoever holds the lock; the deletion process settles the holder.
 */
@Aggregate(repository = "volumeRepository")
@SnapshottedByFields
public class Volume {

    public static final String RESOURCE = "volume";

    @AggregateIdentifier
    private String volumeId;
    private VolumeState state;
    private long version;

    protected Volume() {
        // for Axon: rebuilt from events
    }

    @CommandHandler
    public Volume(RegisterVolume command) {
        apply(new VolumeRegistered(command.volumeId()));
    }

    @CommandHandler
    public VolumeStatus handle(DeleteVolume command, ConflictResolver conflicts) {
        conflicts.detectConflicts(unseenEvents -> !unseenEvents.isEmpty());
        DeletionStatus next = state.deletionStatus().afterDelete(command.hard());
        if (next != null) {
            apply(new VolumeDeleted(volumeId, next, state.lockHolder()));
        }
        return status();
    }

    @CommandHandler
    public LockAnswer handle(AcquireRepairLock command) {
        if (state.deleted()) {
            throw lockHeld("acquire-repair-lock", "volume " + volumeId + " is " + state.deletionStatus());
        }
        if (command.holder().equals(state.lockHolder())) {
            return new LockAnswer(status(), false);
        }
        if (state.lockHolder() != null) {
            throw lockHeld("acquire-repair-lock", "the repair lock is held by " + state.lockHolder());
        }
        apply(new VolumeRepairLockAcquired(volumeId, command.holder()));
        return new LockAnswer(status(), true);
    }

    @CommandHandler
    public VolumeStatus handle(ReleaseRepairLock command) {
        if (command.holder().equals(state.lockHolder())) {
            apply(new VolumeRepairLockReleased(volumeId, command.holder()));
        }
        return status();
    }

    @EventSourcingHandler
    void on(VolumeEvent event, @SequenceNumber long sequence) {
        volumeId = event.volumeId();
        state = VolumeState.evolve(state, event);
        version = sequence;
    }

    /** Waiting helps only when a live volume's holder may give the lock back; a deleted volume stays deleted. */
    private Rejection lockHeld(String action, String detail) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("deletionStatus", state.deletionStatus());
        fields.put("lockHolder", state.lockHolder());
        return new Rejection(Rejection.Reason.LOCK_HELD, RESOURCE, volumeId, action, fields, version,
                !state.deleted(), detail);
    }

    private VolumeStatus status() {
        return VolumeStatus.of(state, version);
    }
}
