package io.interlock.query.replacement;

import io.interlock.query.overview.ReadModel;
import io.interlock.replacement.StepState;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Replacement requests, as the stats, stuck and replay views see them. They are shared
 * infrastructure with no tenant, so every reader sees all of them.
 */
@Component
public class ReplacementReadModel implements ReadModel {

    private final ReplacementViews views;

    public ReplacementReadModel(ReplacementViews views) {
        this.views = views;
    }

    @Override
    public String type() {
        return "replacements";
    }

    @Override
    public String processingGroup() {
        return ReplacementProjection.GROUP;
    }

    @Override
    public String table() {
        return "replacement_view";
    }

    @Override
    public Map<String, Map<String, Long>> counts(String tenantScope) {
        return views.counts();
    }

    /**
     * Requests a saga has held (an {@code -ING} state) since before {@code before}, and steps a saga
     * has held RUNNING as long: both wait on a saga that may have died.
     */
    @Override
    public List<Stuck> stuckSince(Instant before, String tenantScope) {
        List<Stuck> stuck = new ArrayList<>();
        views.heldSince(before).forEach(v -> stuck.add(new Stuck(type(), v.id(), null, v.state().name(),
                v.stateEnteredAt(), v.version())));
        views.withStepIn(StepState.RUNNING).forEach(v -> v.steps().stream()
                .filter(s -> s.state() == StepState.RUNNING && s.updatedAt().isBefore(before))
                .forEach(s -> stuck.add(new Stuck(type(), v.id(), null, "step " + s.volumeId() + " RUNNING",
                        s.updatedAt(), v.version()))));
        stuck.sort(Comparator.comparing(Stuck::since));
        return stuck;
    }
}
