package io.interlock.query.subsystem;

import io.interlock.query.overview.ReadModel;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Subsystems, as the stats, stuck and replay views see them. A subsystem is stuck when one of its
 * namespaces has waited in IN_CREATION or IN_DELETION (for the agent) longer than asked.
 */
@Component
public class SubsystemReadModel implements ReadModel {

    private final SubsystemViews views;

    public SubsystemReadModel(SubsystemViews views) {
        this.views = views;
    }

    @Override
    public String type() {
        return "subsystems";
    }

    @Override
    public String processingGroup() {
        return SubsystemProjection.GROUP;
    }

    @Override
    public String table() {
        return "subsystem_view";
    }

    @Override
    public Map<String, Map<String, Long>> counts(String tenantScope) {
        return views.counts(tenantScope);
    }

    @Override
    public List<Stuck> stuckSince(Instant before, String tenantScope) {
        return views.pendingSince(before, tenantScope).stream()
                .map(v -> {
                    SubsystemView.NamespaceView waiting = v.longestPending();
                    return new Stuck(type(), v.nqn(), v.tenant(),
                            "namespace " + waiting.lvolId() + " " + waiting.status(), waiting.since(), v.version());
                })
                .toList();
    }
}
