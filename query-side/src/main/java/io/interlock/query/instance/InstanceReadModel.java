package io.interlock.query.instance;

import io.interlock.query.overview.ReadModel;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Instances, as the stats, stuck and replay views see them. */
@Component
public class InstanceReadModel implements ReadModel {

    private final InstanceViews views;

    public InstanceReadModel(InstanceViews views) {
        this.views = views;
    }

    @Override
    public String type() {
        return "instances";
    }

    @Override
    public String processingGroup() {
        return InstanceProjection.GROUP;
    }

    @Override
    public String table() {
        return "instance_view";
    }

    @Override
    public Map<String, Map<String, Long>> counts(String tenantScope) {
        return views.counts(tenantScope);
    }

    @Override
    public List<Stuck> stuckSince(Instant before, String tenantScope) {
        return views.busySince(before, tenantScope).stream()
                .map(v -> new Stuck(type(), v.id(), v.tenant(), String.valueOf(v.taskState()), v.taskStartedAt(),
                        v.version()))
                .toList();
    }
}
