package io.interlock.query.share;

import io.interlock.query.overview.ReadModel;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Shares, as the stats, stuck and replay views see them. */
@Component
public class ShareReadModel implements ReadModel {

    private final ShareViews views;

    public ShareReadModel(ShareViews views) {
        this.views = views;
    }

    @Override
    public String type() {
        return "shares";
    }

    @Override
    public String processingGroup() {
        return ShareProjection.GROUP;
    }

    @Override
    public String table() {
        return "share_view";
    }

    @Override
    public Map<String, Map<String, Long>> counts(String tenantScope) {
        return views.counts(tenantScope);
    }

    @Override
    public List<Stuck> stuckSince(Instant before, String tenantScope) {
        return views.busySince(before, tenantScope).stream()
                .map(v -> new Stuck(type(), v.id(), v.tenant(), String.valueOf(v.status()), v.taskStartedAt(),
                        v.version()))
                .toList();
    }
}
