package io.interlock.query.share;

import io.interlock.query.stream.ChangeFeed;
import io.interlock.share.ShareEvents.ShareEvent;
import io.interlock.share.ShareState;
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
import java.util.Objects;
import java.util.Optional;

/**
 * Projects share events into {@code share_view} through the shared fold, so a row (with its
 * snapshots, leases and rules) always shows what the aggregate would decide on. Axon writes the
 * processor's token in the same transaction as these rows, and a row's version makes a second
 * delivery of an event harmless.
 */
@Component
@ProcessingGroup(ShareProjection.GROUP)
public class ShareProjection {

    public static final String GROUP = "share-projection";

    private final ShareViews views;
    private final ChangeFeed feed;

    public ShareProjection(ShareViews views, ChangeFeed feed) {
        this.views = views;
        this.feed = feed;
    }

    @EventHandler
    public void on(ShareEvent event, @SequenceNumber long sequence, @Timestamp Instant at, ReplayStatus replay) {
        Optional<ShareViews.Stored> stored = views.load(event.shareId());
        if (stored.isPresent() && stored.get().view().version() >= sequence) {
            return; // already applied: a redelivery
        }
        ShareState before = stored.map(ShareViews.Stored::state).orElse(null);
        ShareState state = ShareState.evolve(before, event);
        boolean sameTask = before != null && Objects.equals(before.shareTaskId(), state.shareTaskId());
        Instant taskStartedAt = sameTask ? stored.get().view().taskStartedAt() : at;
        ShareView view = ShareView.of(state, sequence, at, taskStartedAt);
        views.save(new ShareViews.Stored(view, state));
        feed.publishAfterCommit(replay, () -> change(view));
    }

    @ResetHandler
    public void reset() {
        views.deleteAll();
    }

    static ChangeFeed.Change change(ShareView view) {
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("status", view.status());
        state.put("accessRulesStatus", view.accessRulesStatus());
        state.put("size", view.size());
        return new ChangeFeed.Change("shares", view.id(), view.tenant(), view.version(), state);
    }
}
