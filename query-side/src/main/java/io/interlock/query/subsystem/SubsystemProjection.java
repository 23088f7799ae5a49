package io.interlock.query.subsystem;

import io.interlock.query.stream.ChangeFeed;
import io.interlock.subsystem.SubsystemEvents.SubsystemEvent;
import io.interlock.subsystem.SubsystemState;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ReplayStatus;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.eventhandling.Timestamp;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Projects subsystem events (namespaces included: they are entities of their subsystem) into
 * {@code subsystem_view} through the shared fold, so {@code liveNamespaces} is exactly the count
 * the aggregate enforces its limit on. The row's version makes a second delivery harmless.
 */
@Component
@ProcessingGroup(SubsystemProjection.GROUP)
public class SubsystemProjection {

    public static final String GROUP = "subsystem-projection";

    private final SubsystemViews views;
    private final ChangeFeed feed;

    public SubsystemProjection(SubsystemViews views, ChangeFeed feed) {
        this.views = views;
        this.feed = feed;
    }

    @EventHandler
    public void on(SubsystemEvent event, @SequenceNumber long sequence, @Timestamp Instant at, ReplayStatus replay) {
        Optional<SubsystemViews.Stored> stored = views.load(event.nqn());
        if (stored.isPresent() && stored.get().view().version() >= sequence) {
            return; // already applied: a redelivery
        }
        SubsystemState state = SubsystemState.evolve(stored.map(SubsystemViews.Stored::state).orElse(null), event);
        SubsystemView view = SubsystemView.of(state,
                stored.map(s -> s.view().namespaces()).orElse(List.of()), sequence, at);
        views.save(new SubsystemViews.Stored(view, state));
        feed.publishAfterCommit(replay, () -> change(view));
    }

    @ResetHandler
    public void reset() {
        views.deleteAll();
    }

    static ChangeFeed.Change change(SubsystemView view) {
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("status", view.status());
        state.put("liveNamespaces", view.liveNamespaces());
        state.put("maxNamespaces", view.maxNamespaces());
        return new ChangeFeed.Change("subsystems", view.nqn(), view.tenant(), view.version(), state);
    }
}
