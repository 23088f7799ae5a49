package io.interlock.query.subsystem;

import io.interlock.query.support.ReadModelSchema;
import io.interlock.query.overview.Queries;
import io.interlock.command.support.TestDatabase;
import io.interlock.query.stream.ChangeFeed;
import io.interlock.subsystem.NamespaceStatus;
import io.interlock.subsystem.SubsystemEvents.NamespaceAllocated;
import io.interlock.subsystem.SubsystemEvents.NamespaceOnline;
import io.interlock.subsystem.SubsystemEvents.NamespaceReleased;
import io.interlock.subsystem.SubsystemEvents.NamespaceRemoved;
import io.interlock.subsystem.SubsystemEvents.SubsystemCreated;
import io.interlock.subsystem.SubsystemEvents.SubsystemDeleted;
import io.interlock.subsystem.SubsystemEvents.SubsystemEvent;
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
 * The subsystem projection's handlers, called directly, writing to the real
 * {@code subsystem_view} table in PostgreSQL (migrated by the query side's own Flyway scripts).
 */
class SubsystemProjectionTest {

    private static final String SCHEMA = TestDatabase.schema("subsystemprojection");
    private static JdbcTemplate jdbc;
    private SubsystemProjection projection;
    private SubsystemViews views;
    private final Instant t0 = Instant.parse("2026-03-01T10:00:00Z");

    @BeforeAll
    static void database() {
        jdbc = ReadModelSchema.migrated(SCHEMA);
    }

    @BeforeEach
    void emptyTable() {
        views = new SubsystemViews(jdbc, JsonMapper.builder().build());
        projection = new SubsystemProjection(views, new ChangeFeed());
        projection.reset();
    }

    private void deliver(SubsystemEvent event, long sequence, Instant at) {
        projection.on(event, sequence, at, ReplayStatus.REGULAR);
    }

    private static SubsystemViews.Filter filter(String nodeId) {
        return new SubsystemViews.Filter(null, nodeId, null, null, null, null);
    }

    @Test
    void creationMakesAnEmptyActiveSubsystem() {
        deliver(new SubsystemCreated("nqn.1", "sn-1", "acme", 32, false), 0, t0);

        SubsystemView view = views.find("nqn.1").orElseThrow();
        assertThat(view.nodeId()).isEqualTo("sn-1");
        assertThat(view.tenant()).isEqualTo("acme");
        assertThat(view.status()).isEqualTo(SubsystemView.Status.ACTIVE);
        assertThat(view.maxNamespaces()).isEqualTo(32);
        assertThat(view.liveNamespaces()).isZero();
        assertThat(view.namespaces()).isEmpty();
        assertThat(view.pendingSince()).isNull();
        assertThat(view.version()).isZero();
        assertThat(view.updatedAt()).isEqualTo(t0);
    }

    @Test
    void namespacesInDeletionKeepTheirNsidButStopCountingAsUsed() {
        deliver(new SubsystemCreated("nqn.2", "sn-1", "acme", 32, false), 0, t0);
        deliver(new NamespaceAllocated("nqn.2", "lv-a", 1), 1, t0.plusSeconds(1));
        deliver(new NamespaceAllocated("nqn.2", "lv-b", 2), 2, t0.plusSeconds(2));
        deliver(new NamespaceOnline("nqn.2", "lv-a", 1), 3, t0.plusSeconds(3));
        deliver(new NamespaceReleased("nqn.2", "lv-b", 2), 4, t0.plusSeconds(4));

        SubsystemView view = views.find("nqn.2").orElseThrow();
        assertThat(view.liveNamespaces()).isEqualTo(1);
        assertThat(view.namespaces()).containsExactly(
                new SubsystemView.NamespaceView("lv-a", 1, NamespaceStatus.ONLINE, t0.plusSeconds(3)),
                new SubsystemView.NamespaceView("lv-b", 2, NamespaceStatus.IN_DELETION, t0.plusSeconds(4)));
        // lv-b waits for the agent to remove it from the target
        assertThat(view.pendingSince()).isEqualTo(t0.plusSeconds(4));
        assertThat(view.version()).isEqualTo(4);
        // from the shared namespace table
        assertThat(view.namespaces().get(0).allowedActions()).containsExactly("release");
        assertThat(view.namespaces().get(1).allowedActions()).containsExactly("remove");

        deliver(new NamespaceRemoved("nqn.2", "lv-b", 2), 5, t0.plusSeconds(5));

        SubsystemView removed = views.find("nqn.2").orElseThrow();
        assertThat(removed.namespaces()).extracting(SubsystemView.NamespaceView::lvolId).containsExactly("lv-a");
        assertThat(removed.liveNamespaces()).isEqualTo(1);
        assertThat(removed.pendingSince()).isNull();
    }

    @Test
    void anEventDeliveredTwiceIsAppliedOnce() {
        NamespaceReleased release = new NamespaceReleased("nqn.3", "lv-a", 1);
        deliver(new SubsystemCreated("nqn.3", "sn-1", "acme", 32, false), 0, t0);
        deliver(new NamespaceAllocated("nqn.3", "lv-a", 1), 1, t0.plusSeconds(1));
        deliver(release, 2, t0.plusSeconds(2));
        deliver(new NamespaceRemoved("nqn.3", "lv-a", 1), 3, t0.plusSeconds(3));
        deliver(new NamespaceAllocated("nqn.3", "lv-b", 1), 4, t0.plusSeconds(4));

        // redelivery of older events, e.g. after a processor restart before its token was stored:
        // applied again, lv-b's namespace would be lost or lv-a would come back
        deliver(release, 2, t0.plusSeconds(2));
        deliver(new NamespaceAllocated("nqn.3", "lv-a", 2), 4, t0.plusSeconds(4));

        SubsystemView view = views.find("nqn.3").orElseThrow();
        assertThat(view.namespaces()).containsExactly(
                new SubsystemView.NamespaceView("lv-b", 1, NamespaceStatus.IN_CREATION, t0.plusSeconds(4)));
        assertThat(view.liveNamespaces()).isEqualTo(1);
        assertThat(view.version()).isEqualTo(4);
        assertThat(view.updatedAt()).isEqualTo(t0.plusSeconds(4));
    }

    @Test
    void aDeletedSubsystemKeepsItsRow() {
        deliver(new SubsystemCreated("nqn.4", "sn-1", "acme", 32, true), 0, t0);
        deliver(new SubsystemDeleted("nqn.4", "sn-1"), 1, t0.plusSeconds(1));

        SubsystemView view = views.find("nqn.4").orElseThrow();
        assertThat(view.status()).isEqualTo(SubsystemView.Status.DELETED);
        assertThat(view.dedicated()).isTrue();
        assertThat(views.activeOn(null, "sn-1")).isEmpty();
    }

    @Test
    void aResetEmptiesTheReadModel() {
        deliver(new SubsystemCreated("nqn.5", "sn-1", "acme", 32, false), 0, t0);

        projection.reset();

        assertThat(views.find("nqn.5")).isEmpty();
    }

    @Test
    void filtersStatsAndStuckUseTheNamespaceCounts() {
        deliver(new SubsystemCreated("nqn.6", "sn-6", "acme", 1, false), 0, t0);
        deliver(new NamespaceAllocated("nqn.6", "lv-a", 1), 1, t0.plusSeconds(1));
        deliver(new SubsystemCreated("nqn.7", "sn-6", "acme", 2, false), 0, t0);
        deliver(new NamespaceAllocated("nqn.7", "lv-b", 1), 1, t0.plusSeconds(1));
        deliver(new NamespaceOnline("nqn.7", "lv-b", 1), 2, t0.plusSeconds(60));

        List<SubsystemView> full = views.list(new SubsystemViews.Filter(null, "sn-6", null, null, true, null), 0, 10,
                new Queries.Sort("nqn", false)).items();
        assertThat(full).extracting(SubsystemView::nqn).containsExactly("nqn.6");
        List<SubsystemView> creating = views.list(new SubsystemViews.Filter(null, null, null, null, null,
                List.of(NamespaceStatus.IN_CREATION)), 0, 10, new Queries.Sort("nqn", false)).items();
        assertThat(creating).extracting(SubsystemView::nqn).containsExactly("nqn.6");
        assertThat(views.list(filter("sn-6"), 0, 10, new Queries.Sort("(max_namespaces - live_namespaces)", true)).items())
                .extracting(SubsystemView::nqn).containsExactly("nqn.7", "nqn.6");

        assertThat(views.counts("acme").get("namespaceStatus"))
                .containsEntry("IN_CREATION", 1L).containsEntry("ONLINE", 1L).containsEntry("IN_DELETION", 0L);
        assertThat(views.counts("acme").get("full")).containsEntry("true", 1L).containsEntry("false", 1L);
        assertThat(views.pendingSince(t0.plusSeconds(30), null)).extracting(SubsystemView::nqn)
                .containsExactly("nqn.6");
        assertThat(views.pendingSince(t0, null)).isEmpty();
    }

    @Test
    void aCommittedChangeIsPublishedOnlyOutsideAReplay() {
        ChangeFeed feed = new ChangeFeed();
        List<ChangeFeed.Change> seen = new ArrayList<>();
        feed.subscribe(seen::add);
        SubsystemProjection publishing = new SubsystemProjection(views, feed);
        DefaultUnitOfWork<?> unit = DefaultUnitOfWork.startAndGet(null);
        publishing.on(new SubsystemCreated("nqn.8", "sn-1", "acme", 32, false), 0, t0, ReplayStatus.REGULAR);
        assertThat(seen).isEmpty(); // not before the commit
        unit.commit();

        assertThat(seen).singleElement().satisfies(change -> {
            assertThat(change.type()).isEqualTo("subsystems");
            assertThat(change.id()).isEqualTo("nqn.8");
            assertThat(change.tenant()).isEqualTo("acme");
            assertThat(change.state()).containsEntry("liveNamespaces", 0).containsEntry("maxNamespaces", 32);
        });

        DefaultUnitOfWork<?> replayUnit = DefaultUnitOfWork.startAndGet(null);
        publishing.on(new NamespaceAllocated("nqn.8", "lv-a", 1), 1, t0, ReplayStatus.REPLAY);
        replayUnit.commit();
        assertThat(seen).hasSize(1);
    }
}
