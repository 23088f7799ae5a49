package io.interlock.query.instance;

import io.interlock.instance.InstanceEvents.InstanceCreated;
import io.interlock.instance.InstanceEvents.InstanceEvent;
import io.interlock.instance.InstanceEvents.InstanceTaskStarted;
import io.interlock.instance.InstanceState;
import io.interlock.query.stream.ChangeFeed;
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
 * Projects instance events into {@code instance_view} through the shared fold, so a row always
 * shows what the aggregate would decide on. Axon writes the processor's token in the same
 * transaction as these rows, and a row's version makes a second delivery of an event harmless.
 */
@Component
@ProcessingGroup(InstanceProjection.GROUP)
public class InstanceProjection {

    public static final String GROUP = "instance-projection";

    private final InstanceViews views;
    private final ChangeFeed feed;

    public InstanceProjection(InstanceViews views, ChangeFeed feed) {
        this.views = views;
        this.feed = feed;
    }

    @EventHandler
    public void on(InstanceEvent event, @SequenceNumber long sequence, @Timestamp Instant at, ReplayStatus replay) {
        Optional<InstanceViews.Stored> stored = views.load(event.instanceId());
        if (stored.isPresent() && stored.get().view().version() >= sequence) {
            return; // already applied: a redelivery
        }
        InstanceState state = InstanceState.evolve(stored.map(InstanceViews.Stored::state).orElse(null), event);
        boolean taskStarted = event instanceof InstanceCreated || event instanceof InstanceTaskStarted;
        Instant taskStartedAt = taskStarted ? at : stored.map(s -> s.view().taskStartedAt()).orElse(null);
        InstanceView view = InstanceView.of(state, sequence, at, taskStartedAt);
        views.save(new InstanceViews.Stored(view, state));
        feed.publishAfterCommit(replay, () -> change(view));
    }

    @ResetHandler
    public void reset() {
        views.deleteAll();
    }

    static ChangeFeed.Change change(InstanceView view) {
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("vmState", view.vmState());
        state.put("taskState", view.taskState());
        state.put("locked", view.locked());
        return new ChangeFeed.Change("instances", view.id(), view.tenant(), view.version(), state);
    }
}
