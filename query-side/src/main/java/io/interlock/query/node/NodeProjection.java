package io.interlock.query.node;

import io.interlock.node.NodeEvents.NodeEvent;
import io.interlock.node.NodeState;
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
 * Projects node events into {@code node_view} through the shared fold, like the instance
 * projection: the token is written in the same transaction, and the row's version makes a second
 * delivery of an event harmless.
 */
@Component
@ProcessingGroup(NodeProjection.GROUP)
public class NodeProjection {

    public static final String GROUP = "node-projection";

    private final NodeViews views;
    private final ChangeFeed feed;

    public NodeProjection(NodeViews views, ChangeFeed feed) {
        this.views = views;
        this.feed = feed;
    }

    @EventHandler
    public void on(NodeEvent event, @SequenceNumber long sequence, @Timestamp Instant at, ReplayStatus replay) {
        Optional<NodeViews.Stored> stored = views.load(event.nodeId());
        if (stored.isPresent() && stored.get().view().version() >= sequence) {
            return; // already applied: a redelivery
        }
        NodeState state = NodeState.evolve(stored.map(NodeViews.Stored::state).orElse(null), event);
        NodeView view = NodeView.of(state, sequence, at);
        views.save(new NodeViews.Stored(view, state));
        feed.publishAfterCommit(replay, () -> change(view));
    }

    @ResetHandler
    public void reset() {
        views.deleteAll();
    }

    static ChangeFeed.Change change(NodeView view) {
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("usedSubsystems", view.usedSubsystems());
        state.put("maxSubsystems", view.maxSubsystems());
        return new ChangeFeed.Change("nodes", view.nodeId(), view.tenant(), view.version(), state);
    }
}
