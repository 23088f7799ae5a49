package io.interlock.query.volume;

import io.interlock.query.overview.Queries;
import io.interlock.query.stream.ChangeFeed;
import io.interlock.query.support.H2;
import io.interlock.volume.DeletionStatus;
import io.interlock.volume.VolumeEvents.VolumeDeleted;
import io.interlock.volume.VolumeEvents.VolumeRegistered;
import io.interlock.volume.VolumeEvents.VolumeRepairLockAcquired;
import org.axonframework.eventhandling.ReplayStatus;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.json.JsonMapper;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The embedded default runs the query side on H2 in PostgreSQL mode: the volume read model must too. */
class VolumeViewsOnH2Test {

    @Test
    void theVolumeReadModelRunsOnH2() {
        JdbcTemplate jdbc = H2.migrated("volumes");
        VolumeViews views = new VolumeViews(jdbc, JsonMapper.builder().build());
        VolumeProjection projection = new VolumeProjection(views, new ChangeFeed());
        Instant t0 = Instant.parse("2026-03-01T10:00:00Z");

        projection.on(new VolumeRegistered("vol-h2"), 0, t0, ReplayStatus.REGULAR);
        projection.on(new VolumeRepairLockAcquired("vol-h2", "replacement/rr-h2"), 1, t0, ReplayStatus.REGULAR);
        projection.on(new VolumeDeleted("vol-h2", DeletionStatus.SOFT_DELETED, "replacement/rr-h2"), 2,
                t0.plusSeconds(1), ReplayStatus.REGULAR);
        projection.on(new VolumeRepairLockAcquired("vol-h2", "replacement/rr-h2"), 1, t0, ReplayStatus.REGULAR);

        assertThat(views.list(new VolumeViews.Filter(List.of(DeletionStatus.SOFT_DELETED), true,
                "replacement/rr-h2"), 0, 10, new Queries.Sort("locked_since", true)).items())
                .singleElement().satisfies(v -> {
                    assertThat(v.version()).isEqualTo(2);
                    assertThat(v.lockedSince()).isEqualTo(t0);
                });
        assertThat(views.counts().get("locked")).containsEntry("true", 1L);
        assertThat(views.deletedButLockedSince(t0.plusSeconds(2))).extracting(VolumeView::id)
                .containsExactly("vol-h2");
    }
}
