package io.interlock.query.volume;

import io.interlock.query.overview.ReadModel;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Volumes, as the stats, stuck and replay views see them. They are shared infrastructure with no
 * tenant, so every reader sees all of them.
 */
@Component
public class VolumeReadModel implements ReadModel {

    private final VolumeViews views;

    public VolumeReadModel(VolumeViews views) {
        this.views = views;
    }

    @Override
    public String type() {
        return "volumes";
    }

    @Override
    public String processingGroup() {
        return VolumeProjection.GROUP;
    }

    @Override
    public String table() {
        return "volume_view";
    }

    @Override
    public Map<String, Map<String, Long>> counts(String tenantScope) {
        return views.counts();
    }

    /**
     * A volume has no transitional state of its own; what can hang is a lock that outlives the
     * volume: deleted, yet still held, because the holder has not settled it.
     */
    @Override
    public List<Stuck> stuckSince(Instant before, String tenantScope) {
        return views.deletedButLockedSince(before).stream()
                .map(v -> new Stuck(type(), v.id(), null, v.deletionStatus() + " locked by " + v.lockHolder(),
                        v.updatedAt(), v.version()))
                .toList();
    }
}
