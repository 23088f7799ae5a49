package io.interlock.query.replacement;

import io.interlock.query.stream.ChangeFeed;
import io.interlock.replacement.ReplacementEvents.ReplacementEvent;
import io.interlock.replacement.ReplacementEvents.ReplacementRequested;
import io.interlock.replacement.ReplacementEvents.ReplacementStepAdded;
import io.interlock.replacement.ReplacementEvents.ReplacementStepTransitioned;
import io.interlock.replacement.ReplacementEvents.ReplacementStepVolumeDeleted;
import io.interlock.replacement.ReplacementEvents.ReplacementTransitioned;
import io.interlock.replacement.ReplacementState;
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
 * Projects replacement events (requests and their steps) into {@code replacement_view} through the
 * shared fold, exactly as the instance projection does: the token commits with the rows, and the
 * row's version makes a second delivery of an event harmless.
 */
@Component
@ProcessingGroup(ReplacementProjection.GROUP)
public class ReplacementProjection {

    public static final String GROUP = "replacement-projection";

    private final ReplacementViews views;
    private final ChangeFeed feed;

    public ReplacementProjection(ReplacementViews views, ChangeFeed feed) {
        this.views = views;
        this.feed = feed;
    }

    @EventHandler
    public void on(ReplacementEvent event, @SequenceNumber long sequence, @Timestamp Instant at,
                   ReplayStatus replay) {
        Optional<ReplacementViews.Stored> stored = views.load(event.requestId());
        if (stored.isPresent() && stored.get().view().version() >= sequence) {
            return; // already applied: a redelivery
        }
        ReplacementState state = ReplacementState.evolve(stored.map(ReplacementViews.Stored::state).orElse(null),
                event);
        boolean stateChanged = event instanceof ReplacementRequested || event instanceof ReplacementTransitioned;
        Instant stateEnteredAt = stateChanged ? at : stored.map(s -> s.view().stateEnteredAt()).orElse(at);
        Map<String, ReplacementView.StepView> previous = new LinkedHashMap<>();
        stored.ifPresent(s -> s.view().steps().forEach(step -> previous.put(step.volumeId(), step)));
        ReplacementView view = ReplacementView.of(state, sequence, at, stateEnteredAt, previous, stepOf(event));
        views.save(new ReplacementViews.Stored(view, state));
        feed.publishAfterCommit(replay, () -> change(view));
    }

    @ResetHandler
    public void reset() {
        views.deleteAll();
    }

    private static String stepOf(ReplacementEvent event) {
        if (event instanceof ReplacementStepAdded e) {
            return e.volumeId();
        }
        if (event instanceof ReplacementStepTransitioned e) {
            return e.volumeId();
        }
        if (event instanceof ReplacementStepVolumeDeleted e) {
            return e.volumeId();
        }
        return null;
    }

    /** Replacement requests have no tenant: their changes reach every reader of the stream. */
    static ChangeFeed.Change change(ReplacementView view) {
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("state", view.state());
        state.put("operatingSagaId", view.operatingSagaId());
        state.put("targetDeleted", view.targetDeleted());
        state.put("steps", view.steps().size());
        return new ChangeFeed.Change("replacements", view.id(), null, view.version(), state);
    }
}
