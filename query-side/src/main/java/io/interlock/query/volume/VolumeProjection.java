package io.interlock.query.volume;

import io.interlock.query.stream.ChangeFeed;
import io.interlock.volume.VolumeEvents.VolumeEvent;
import io.interlock.volume.VolumeEvents.VolumeRepairLockAcquired;
import io.interlock.volume.VolumeState;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ReplayStatus;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.eventhandling.Timestamp;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Projects volume events into {@code volume_view} through the shared fold, exactly as the
 * instance projection does: the token commits with the rows, and the row's version makes a
 * second delivery of an event harmless.
 */
@Component
@ProcessingGroup(VolumeProjection.GROUP)
public class VolumeProjection {

    public static final String GROUP = "volume-projection";

    private final VolumeViews views;
    private final ChangeFeed feed;

    public VolumeProjection(VolumeViews views, ChangeFeed feed) {
        this.views = views;
        this.feed = feed;
    }

    @EventHandler
    public void on(VolumeEvent event, @SequenceNumber long sequence, @Timestamp Instant at, ReplayStatus replay) {
        Optional<VolumeViews.Stored> stored = views.load(event.volumeId());
        if (stored.isPresent() && stored.get().view().version() >= sequence) {
            return; // already applied: a redelivery
        }
        VolumeState state = VolumeState.evolve(stored.map(VolumeViews.Stored::state).orElse(null), event);
        Instant lockedSince = event instanceof VolumeRepairLockAcquired ? at
                : stored.map(s -> s.view().lockedSince()).orElse(null);
        VolumeView view = VolumeView.of(state, sequence, at, lockedSince);
        views.save(new VolumeViews.Stored(view, state));
        feed.publishAfterCommit(replay, () -> change(view));
    }

    @ResetHandler
    public void reset() {
        views.deleteAll();
    }

    /** Volumes have no tenant: their changes reach every reader of the stream. */
    static ChangeFeed.Change change(VolumeView view) {
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("deletionStatus", view.deletionStatus());
        state.put("lockHolder", view.lockHolder());
        return new ChangeFeed.Change("volumes", view.id(), null, view.version(), state);
    }
}
