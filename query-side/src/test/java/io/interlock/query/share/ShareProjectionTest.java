package io.interlock.query.share;

import io.interlock.query.support.ReadModelSchema;
import io.interlock.command.support.TestDatabase;
import io.interlock.query.stream.ChangeFeed;
import io.interlock.share.ShareAction;
import io.interlock.share.ShareEvents.ShareCreated;
import io.interlock.share.ShareEvents.ShareEvent;
import io.interlock.share.ShareEvents.ShareTaskCompleted;
import io.interlock.share.ShareEvents.ShareTaskStarted;
import io.interlock.share.ShareEvents.SnapshotLeaseAcquired;
import io.interlock.share.ShareStatus;
import io.interlock.share.SnapshotStatus;
import org.axonframework.eventhandling.ReplayStatus;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.json.JsonMapper;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The share projection's handler, called directly, writing to the real {@code share_view} table
 * in PostgreSQL (migrated by the query side's own Flyway scripts).
 */
class ShareProjectionTest {

    private static final String SCHEMA = TestDatabase.schema("share_projection");
    private static JdbcTemplate jdbc;
    private ShareProjection projection;
    private ShareViews views;
    private final Instant t0 = Instant.parse("2026-03-01T10:00:00Z");

    @BeforeAll
    static void database() {
        jdbc = ReadModelSchema.migrated(SCHEMA);
    }

    @BeforeEach
    void emptyTable() {
        views = new ShareViews(jdbc, JsonMapper.builder().build());
        projection = new ShareProjection(views, new ChangeFeed());
        projection.reset();
    }

    private void deliver(ShareEvent event, long sequence, Instant at) {
        projection.on(event, sequence, at, ReplayStatus.REGULAR);
    }

    @Test
    void aShareIsProjectedWithItsSnapshotAndLeaseAndARedeliveryChangesNothing() {
        deliver(new ShareCreated("sh-1", "acme", 10, "NFS", "t1"), 0, t0);
        ShareView creating = views.find("sh-1").orElseThrow();
        assertThat(creating.status()).isEqualTo(ShareStatus.CREATING);
        assertThat(creating.taskId()).isEqualTo("t1");
        assertThat(creating.taskStartedAt()).isEqualTo(t0);
        assertThat(creating.allowedActions()).isEmpty();

        deliver(new ShareTaskCompleted("sh-1", ShareAction.CREATE, "t1", ShareStatus.AVAILABLE, null, null, 10), 1,
                t0.plusSeconds(1));
        deliver(new ShareTaskStarted("sh-1", ShareAction.CREATE_SNAPSHOT, "t2", ShareStatus.SNAPSHOTTING,
                ShareStatus.AVAILABLE, ShareStatus.ERROR, null, "snap-1", "n", SnapshotStatus.CREATING,
                SnapshotStatus.AVAILABLE, SnapshotStatus.ERROR, null, Map.of()), 2, t0.plusSeconds(2));
        deliver(new ShareTaskCompleted("sh-1", ShareAction.CREATE_SNAPSHOT, "t2", ShareStatus.AVAILABLE, "snap-1",
                SnapshotStatus.AVAILABLE, 10), 3, t0.plusSeconds(3));
        deliver(new SnapshotLeaseAcquired("sh-1", "snap-1", "copy-1", "l1", t0.plusSeconds(3600)), 4,
                t0.plusSeconds(4));

        ShareView view = views.find("sh-1").orElseThrow();
        assertThat(view.version()).isEqualTo(4);
        assertThat(view.taskId()).isNull();
        assertThat(view.taskStartedAt()).isNull();
        assertThat(view.snapshots()).containsExactly(new ShareView.Snapshot("snap-1", "n", SnapshotStatus.AVAILABLE,
                10, null, List.of("copy-1")));
        assertThat(view.allowedActions()).contains("extend", "create-snapshot").doesNotContain("delete",
                "delete-snapshot");

        // the snapshot's completion again, as a redelivery: the row stays at version 4
        deliver(new ShareTaskCompleted("sh-1", ShareAction.CREATE_SNAPSHOT, "t2", ShareStatus.AVAILABLE, "snap-1",
                SnapshotStatus.AVAILABLE, 10), 3, t0.plusSeconds(3));
        assertThat(views.find("sh-1").orElseThrow()).isEqualTo(view);
    }
}
