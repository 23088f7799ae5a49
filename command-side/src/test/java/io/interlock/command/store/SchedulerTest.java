package io.interlock.command.store;

import io.interlock.command.support.Api;
import io.interlock.command.support.Await;
import io.interlock.command.support.EventStore;
import io.interlock.command.support.Instances;
import io.interlock.command.support.Replica;
import io.interlock.command.support.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * db-scheduler as two replicas use it: a deadline left picked by a replica that died runs again on
 * a live one within seconds, each process has a scheduler name of its own, and expired idempotency
 * keys are swept. A schema of its own, with short settings.
 */
class SchedulerTest {

    private static final String SCHEMA = TestDatabase.schema("scheduler");
    private static final Map<String, String> SHORT = Map.of(
            "interlock.timeouts.instance.per-action.pause", "PT30S",
            "interlock.idempotency.ttl", "PT3S",
            "interlock.idempotency.sweep-interval", "PT1S");
    private static Replica a;
    private static Replica b;

    @BeforeAll
    static void replicas() {
        a = Replica.start("scheduler-a", SCHEMA, SHORT);
        b = Replica.start("scheduler-b", SCHEMA, SHORT);
    }

    @AfterAll
    static void stop() {
        b.close();
        a.close();
    }

    @Test
    void aTimeoutPickedByAReplicaThatDiedFiresOnceWithinSecondsOnALiveOne() throws Exception {
        String id = Instances.active(a, "alice");
        Api.Response pausing = Api.as("alice").post(a, "/v1/instances/" + id + "/actions/pause", "{}");
        assertThat(pausing.status()).as(pausing.text()).isEqualTo(202);
        // A copy of the deadline, run later, stands in for one that runs twice (a replica that only
        // looked dead finishing its run after another revived it).
        assertThat(sql("insert into scheduled_tasks (task_name, task_instance, task_data, execution_time, picked, "
                + "version, priority) select task_name, task_instance || '-again', task_data, now() + interval '1 hour', "
                + "false, 1, priority from scheduled_tasks where task_name = 'AxonDeadline' "
                + "and execution_time < now() + interval '1 minute' and position(convert_to(?, 'UTF8') in task_data) > 0",
                id)).isEqualTo(1);
        // What a SIGKILL right after a pick leaves: the deadline due now, picked by a scheduler that
        // will never report again.
        Instant due = Instant.now();
        assertThat(sql("update scheduled_tasks set picked = true, picked_by = 'killed-host-1-dead01', "
                + "last_heartbeat = now(), execution_time = now(), version = version + 1 "
                + "where task_name = 'AxonDeadline' and execution_time < now() + interval '1 minute' "
                + "and position(convert_to(?, 'UTF8') in task_data) > 0", id)).isEqualTo(1);

        assertThat(Await.until(Duration.ofSeconds(40), () -> timedOut(id) > 0)).as("fired after the pick died").isTrue();
        Duration late = Duration.between(due, Instant.now());
        System.out.printf("deadline picked by a dead replica fired %d ms after its due time%n", late.toMillis());
        // 8 s of silence makes it dead, looked for every 4 s; the rest is slack for a loaded machine
        assertThat(late).isLessThan(Duration.ofSeconds(25));
        assertThat(stillPicked()).isFalse();

        assertThat(sql("update scheduled_tasks set execution_time = now() where task_instance like '%-again'"))
                .isEqualTo(1);
        assertThat(Await.until(Duration.ofSeconds(15), () -> deadlinesOf(id) == 0)).as("the copy ran").isTrue();
        assertThat(timedOut(id)).as("a deadline that runs twice changes nothing the second time").isEqualTo(1);
        var history = EventStore.history(SCHEMA, id);
        assertThat(history.get(history.size() - 1).shortType()).isEqualTo("InstanceTaskTimedOut");
    }

    @Test
    void everyProcessHasASchedulerNameOfItsOwn() {
        String first = a.bean(SchedulerConfig.SchedulerIdentity.class).name();
        String second = b.bean(SchedulerConfig.SchedulerIdentity.class).name();

        assertThat(first).isNotEqualTo(second);
        assertThat(first).contains("-" + ProcessHandle.current().pid() + "-");
        assertThat(a.bean(com.github.kagkarlsson.scheduler.boot.config.DbSchedulerCustomizer.class).schedulerName())
                .hasValueSatisfying(name -> assertThat(name.getName()).isEqualTo(first));
    }

    @Test
    void anExpiredIdempotencyKeyIsSweptByOneReplica() throws Exception {
        String id = Instances.active(a, "alice");
        String key = "sweep-" + UUID.randomUUID();
        Api.Response locked = Api.as("alice").header("Idempotency-Key", key)
                .post(b, "/v1/instances/" + id + "/actions/lock", "{}");
        assertThat(locked.status()).as(locked.text()).isEqualTo(200);
        assertThat(keys(key)).isEqualTo(1);

        // ttl 3 s, swept every second: gone well within the wait, with nobody asking for the key again
        assertThat(Await.until(Duration.ofSeconds(30), () -> keys(key) == 0)).as("swept").isTrue();
        assertThat(EventStore.count(SCHEMA, "select count(*) from scheduled_tasks where task_name = ?",
                "idempotency-key-sweep")).as("one sweep for the cluster").isEqualTo(1);
    }

    private static long keys(String key) {
        return EventStore.count(SCHEMA, "select count(*) from idempotency_key where idem_key = ?", key);
    }

    private static boolean stillPicked() {
        return EventStore.count(SCHEMA, "select count(*) from scheduled_tasks where picked_by = 'killed-host-1-dead01'") > 0;
    }

    private static long deadlinesOf(String id) {
        return EventStore.count(SCHEMA, "select count(*) from scheduled_tasks where task_name = 'AxonDeadline' "
                + "and execution_time < now() + interval '1 minute' and position(convert_to(?, 'UTF8') in task_data) > 0", id);
    }

    private static long timedOut(String id) {
        // alice's instances live in the acme tenant's id space
        return EventStore.count(SCHEMA, "select count(*) from domain_event_entry where aggregate_identifier = ? "
                + "and payload_type like '%InstanceTaskTimedOut'", "acme:" + id);
    }

    private static int sql(String statement, Object... args) throws Exception {
        try (Connection c = TestDatabase.connect(SCHEMA); PreparedStatement s = c.prepareStatement(statement)) {
            for (int i = 0; i < args.length; i++) {
                s.setObject(i + 1, args[i]);
            }
            return s.executeUpdate();
        }
    }
}
