package io.interlock.query.volume;

import io.interlock.query.support.ReadModelSchema;
import io.interlock.query.overview.Queries;
import io.interlock.command.support.TestDatabase;
import io.interlock.query.stream.ChangeFeed;
import io.interlock.volume.DeletionStatus;
import io.interlock.volume.VolumeEvents.VolumeDeleted;
import io.interlock.volume.VolumeEvents.VolumeEvent;
import io.interlock.volume.VolumeEvents.VolumeRegistered;
import io.interlock.volume.VolumeEvents.VolumeRepairLockAcquired;
import io.interlock.volume.VolumeEvents.VolumeRepairLockReleased;
import org.axonframework.eventhandling.ReplayStatus;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.json.JsonMapper;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The volume projection's handlers, called directly, writing to the real {@code volume_view}
 * table in PostgreSQL (migrated by the query side's own Flyway scripts).
 */
class VolumeProjectionTest {

    private static final String SCHEMA = TestDatabase.schema("projection_volume");
    private static JdbcTemplate jdbc;
    private VolumeProjection projection;
    private VolumeViews views;
    private final Instant t0 = Instant.parse("2026-03-01T10:00:00Z");

    @BeforeAll
    static void database() {
        jdbc = ReadModelSchema.migrated(SCHEMA);
    }

    @BeforeEach
    void emptyTable() {
        views = new VolumeViews(jdbc, JsonMapper.builder().build());
        projection = new VolumeProjection(views, new ChangeFeed());
        projection.reset();
    }

    private void deliver(VolumeEvent event, long sequence, Instant at) {
        projection.on(event, sequence, at, ReplayStatus.REGULAR);
    }

    @Test
    void aRegisteredVolumeIsActiveFreeAndDeletable() {
        deliver(new VolumeRegistered("vol-1"), 0, t0);

        VolumeView view = views.find("vol-1").orElseThrow();
        assertThat(view.deletionStatus()).isEqualTo(DeletionStatus.ACTIVE);
        assertThat(view.lockHolder()).isNull();
        assertThat(view.locked()).isFalse();
        assertThat(view.lockedSince()).isNull();
        assertThat(view.allowedActions()).containsExactly("delete");
        assertThat(view.version()).isZero();
        assertThat(view.updatedAt()).isEqualTo(t0);
    }

    @Test
    void theLockHolderAndSinceWhenAreShownUntilTheLockIsGivenBack() {
        deliver(new VolumeRegistered("vol-2"), 0, t0);
        deliver(new VolumeRepairLockAcquired("vol-2", "replacement/rr-1"), 1, t0.plusSeconds(5));
        deliver(new VolumeDeleted("vol-2", DeletionStatus.SOFT_DELETED, "replacement/rr-1"), 2, t0.plusSeconds(9));

        VolumeView held = views.find("vol-2").orElseThrow();
        assertThat(held.lockHolder()).isEqualTo("replacement/rr-1");
        assertThat(held.locked()).isTrue();
        // deleting does not move the lock's start
        assertThat(held.lockedSince()).isEqualTo(t0.plusSeconds(5));
        assertThat(held.deletionStatus()).isEqualTo(DeletionStatus.SOFT_DELETED);
        assertThat(held.allowedActions()).containsExactly("delete"); // a soft delete can still become hard

        deliver(new VolumeRepairLockReleased("vol-2", "replacement/rr-1"), 3, t0.plusSeconds(12));
        deliver(new VolumeDeleted("vol-2", DeletionStatus.HARD_DELETED, null), 4, t0.plusSeconds(13));

        VolumeView free = views.find("vol-2").orElseThrow();
        assertThat(free.lockHolder()).isNull();
        assertThat(free.lockedSince()).isNull();
        assertThat(free.deletionStatus()).isEqualTo(DeletionStatus.HARD_DELETED);
        assertThat(free.allowedActions()).isEmpty();
        assertThat(free.version()).isEqualTo(4);
    }

    @Test
    void anEventDeliveredTwiceIsAppliedOnce() {
        VolumeRepairLockAcquired acquired = new VolumeRepairLockAcquired("vol-3", "replacement/rr-2/steps/vol-3");
        deliver(new VolumeRegistered("vol-3"), 0, t0);
        deliver(acquired, 1, t0.plusSeconds(1));
        deliver(new VolumeRepairLockReleased("vol-3", "replacement/rr-2/steps/vol-3"), 2, t0.plusSeconds(2));

        // redelivery of an older event, e.g. after a processor restart before its token was stored
        deliver(acquired, 1, t0.plusSeconds(1));
        deliver(new VolumeRegistered("vol-3"), 0, t0);

        VolumeView view = views.find("vol-3").orElseThrow();
        assertThat(view.lockHolder()).isNull();
        assertThat(view.version()).isEqualTo(2);
        assertThat(view.updatedAt()).isEqualTo(t0.plusSeconds(2));
    }

    @Test
    void filtersCountsAndTheDeletedButStillLockedList() {
        deliver(new VolumeRegistered("vol-a"), 0, t0);
        deliver(new VolumeRegistered("vol-b"), 0, t0);
        deliver(new VolumeRepairLockAcquired("vol-b", "replacement/rr-9"), 1, t0);
        deliver(new VolumeDeleted("vol-b", DeletionStatus.HARD_DELETED, "replacement/rr-9"), 2, t0.plusSeconds(60));
        deliver(new VolumeRegistered("vol-c"), 0, t0);
        deliver(new VolumeDeleted("vol-c", DeletionStatus.SOFT_DELETED, null), 1, t0);

        assertThat(ids(new VolumeViews.Filter(List.of(DeletionStatus.SOFT_DELETED, DeletionStatus.HARD_DELETED),
                null, null))).containsExactly("vol-b", "vol-c");
        assertThat(ids(new VolumeViews.Filter(null, true, null))).containsExactly("vol-b");
        assertThat(ids(new VolumeViews.Filter(null, false, null))).containsExactly("vol-a", "vol-c");
        assertThat(ids(new VolumeViews.Filter(null, null, "replacement/rr-9"))).containsExactly("vol-b");
        assertThat(views.counts().get("deletionStatus"))
                .containsEntry("ACTIVE", 1L).containsEntry("SOFT_DELETED", 1L).containsEntry("HARD_DELETED", 1L);
        assertThat(views.counts().get("locked")).containsEntry("true", 1L).containsEntry("false", 2L);
        assertThat(views.deletedButLockedSince(t0.plusSeconds(61))).extracting(VolumeView::id)
                .containsExactly("vol-b");
        assertThat(views.deletedButLockedSince(t0.plusSeconds(59))).isEmpty();
    }

    @Test
    void aCommittedChangeIsPublishedToEveryReaderOnlyOutsideAReplay() {
        ChangeFeed feed = new ChangeFeed();
        List<ChangeFeed.Change> seen = new ArrayList<>();
        feed.subscribe(seen::add);
        VolumeProjection publishing = new VolumeProjection(views, feed);
        DefaultUnitOfWork<?> unit = DefaultUnitOfWork.startAndGet(null);
        publishing.on(new VolumeRegistered("vol-5"), 0, t0, ReplayStatus.REGULAR);
        assertThat(seen).isEmpty(); // not before the commit
        unit.commit();

        assertThat(seen).singleElement().satisfies(change -> {
            assertThat(change.type()).isEqualTo("volumes");
            assertThat(change.tenant()).isNull();
            assertThat(change.state()).containsEntry("deletionStatus", DeletionStatus.ACTIVE);
        });

        DefaultUnitOfWork<?> replayUnit = DefaultUnitOfWork.startAndGet(null);
        publishing.on(new VolumeRepairLockAcquired("vol-5", "replacement/x"), 1, t0, ReplayStatus.REPLAY);
        replayUnit.commit();
        assertThat(seen).hasSize(1);
        assertThat(views.find("vol-5").orElseThrow().lockHolder()).isEqualTo("replacement/x");
    }

    @Test
    void aResetEmptiesTheReadModel() {
        deliver(new VolumeRegistered("vol-4"), 0, t0);

        projection.reset();

        assertThat(views.find("vol-4")).isEmpty();
    }

    private List<String> ids(VolumeViews.Filter filter) {
        return views.list(filter, 0, 50, new Queries.Sort("volume_id", false)).items().stream().map(VolumeView::id).toList();
    }
}
