package io.interlock.query.node;

import io.interlock.query.overview.ReadModel;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Storage nodes, as the stats, stuck and replay views see them. */
@Component
public class NodeReadModel implements ReadModel {

    private final NodeViews views;

    public NodeReadModel(NodeViews views) {
        this.views = views;
    }

    @Override
    public String type() {
        return "nodes";
    }

    @Override
    public String processingGroup() {
        return NodeProjection.GROUP;
    }

    @Override
    public String table() {
        return "node_view";
    }

    @Override
    public Map<String, Map<String, Long>> counts(String tenantScope) {
        return views.counts(tenantScope);
    }

    /** A node has no transitional state of its own; its subsystems' namespaces do. */
    @Override
    public List<Stuck> stuckSince(Instant before, String tenantScope) {
        return List.of();
    }
}
