package io.interlock.query.instance;

import io.interlock.query.support.ReadModelSchema;
import io.interlock.command.support.TestDatabase;
import io.interlock.instance.InstanceAction;
import io.interlock.instance.InstanceEvents.InstanceCreated;
import io.interlock.instance.InstanceEvents.InstanceLocked;
import io.interlock.instance.InstanceEvents.InstanceTaskCompleted;
import io.interlock.instance.InstanceEvents.InstanceTaskStarted;
import io.interlock.instance.TaskState;
import io.interlock.instance.VmState;
import io.interlock.query.stream.ChangeFeed;
import org.axonframework.eventhandling.ReplayStatus;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.json.JsonMapper;

import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The projection's handlers, called directly, writing to the real {@code instance_view} table in
 * PostgreSQL (migrated by the query side's own Flyway scripts).
 */
class InstanceProjectionTest {

    private static final String SCHEMA = TestDatabase.schema("projection");
    private static JdbcTemplate jdbc;
    private InstanceProjection projection;
    private InstanceViews views;
    private final Instant t0 = Instant.parse("2026-03-01T10:00:00Z");

    @BeforeAll
    static void database() {
        jdbc = ReadModelSchema.migrated(SCHEMA);
    }

    @BeforeEach
    void emptyTable() {
        views = new InstanceViews(jdbc, JsonMapper.builder().build());
        projection = new InstanceProjection(views, new ChangeFeed());
        projection.reset();
    }

    private void deliver(Object event, long sequence, Instant at) {
        projection.on((io.interlock.instance.InstanceEvents.InstanceEvent) event, sequence, at, ReplayStatus.REGULAR);
    }

    @Test
    void creationMakesABusyRowWithTheTableAllowedActions() {
        deliver(new InstanceCreated("vm-1", "acme", "web", "m1", "t1"), 0, t0);

        InstanceView view = views.find("vm-1").orElseThrow();
        assertThat(view.vmState()).isEqualTo(VmState.BUILDING);
        assertThat(view.taskState()).isEqualTo(TaskState.SPAWNING);
        assertThat(view.taskId()).isEqualTo("t1");
        assertThat(view.taskStartedAt()).isEqualTo(t0);
        assertThat(view.version()).isZero();
        assertThat(view.updatedAt()).isEqualTo(t0);
        // while spawning, only the actions that supersede any task (or ignore it) are offered
        assertThat(view.allowedActions()).contains("delete", "lock").doesNotContain("stop", "shelve");
    }

    @Test
    void aTaskThatEndsClearsItsStartTimeAndOffersTheNextActions() {
        deliver(new InstanceCreated("vm-2", "acme", "web", "m1", "t1"), 0, t0);
        deliver(new InstanceTaskCompleted("vm-2", InstanceAction.CREATE, "t1", VmState.ACTIVE), 1, t0.plusSeconds(5));

        InstanceView view = views.find("vm-2").orElseThrow();
        assertThat(view.vmState()).isEqualTo(VmState.ACTIVE);
        assertThat(view.taskState()).isNull();
        assertThat(view.taskStartedAt()).isNull();
        assertThat(view.version()).isEqualTo(1);
        assertThat(view.allowedActions()).contains("stop", "shelve", "pause").doesNotContain("start", "unlock");
    }

    @Test
    void anEventDeliveredTwiceIsAppliedOnce() {
        InstanceTaskStarted stop = new InstanceTaskStarted("vm-3", InstanceAction.STOP, "t2", TaskState.POWERING_OFF,
                VmState.STOPPED, VmState.ACTIVE, null, Map.of());
        deliver(new InstanceCreated("vm-3", "acme", "web", "m1", "t1"), 0, t0);
        deliver(new InstanceTaskCompleted("vm-3", InstanceAction.CREATE, "t1", VmState.ACTIVE), 1, t0.plusSeconds(1));
        deliver(stop, 2, t0.plusSeconds(2));
        deliver(new InstanceTaskCompleted("vm-3", InstanceAction.STOP, "t2", VmState.STOPPED), 3, t0.plusSeconds(3));

        // redelivery of an older event, e.g. after a processor restart before its token was stored
        deliver(stop, 2, t0.plusSeconds(2));
        deliver(new InstanceLocked("vm-3"), 3, t0.plusSeconds(3));

        InstanceView view = views.find("vm-3").orElseThrow();
        assertThat(view.vmState()).isEqualTo(VmState.STOPPED);
        assertThat(view.taskState()).isNull();
        assertThat(view.locked()).isFalse();
        assertThat(view.version()).isEqualTo(3);
        assertThat(view.updatedAt()).isEqualTo(t0.plusSeconds(3));
    }

    @Test
    void aResetEmptiesTheReadModel() {
        deliver(new InstanceCreated("vm-4", "acme", "web", "m1", "t1"), 0, t0);

        projection.reset();

        assertThat(views.find("vm-4")).isEmpty();
    }

    @Test
    void aCommittedChangeIsPublishedOnlyOutsideAReplay() {
        ChangeFeed feed = new ChangeFeed();
        java.util.List<ChangeFeed.Change> seen = new java.util.ArrayList<>();
        feed.subscribe(seen::add);
        InstanceProjection publishing = new InstanceProjection(views, feed);
        org.axonframework.messaging.unitofwork.DefaultUnitOfWork<?> unit =
                org.axonframework.messaging.unitofwork.DefaultUnitOfWork.startAndGet(null);
        publishing.on(new InstanceCreated("vm-5", "acme", "web", "m1", "t1"), 0, t0, ReplayStatus.REGULAR);
        assertThat(seen).isEmpty(); // not before the commit
        unit.commit();

        assertThat(seen).singleElement().satisfies(change -> {
            assertThat(change.id()).isEqualTo("vm-5");
            assertThat(change.tenant()).isEqualTo("acme");
            assertThat(change.state()).containsEntry("vmState", VmState.BUILDING);
        });

        org.axonframework.messaging.unitofwork.DefaultUnitOfWork<?> replayUnit =
                org.axonframework.messaging.unitofwork.DefaultUnitOfWork.startAndGet(null);
        publishing.on(new InstanceLocked("vm-5"), 1, t0, ReplayStatus.REPLAY);
        replayUnit.commit();
        assertThat(seen).hasSize(1);
    }
}
