package io.interlock.command.instance;

import io.interlock.command.support.Api;
import io.interlock.command.support.EventStore;
import io.interlock.command.support.Instances;
import io.interlock.command.support.Replica;
import io.interlock.command.support.Scrape;
import io.interlock.command.support.TestDatabase;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A task's timeout is durable: it is scheduled in PostgreSQL by db-scheduler, so it
 * fires even when the process that scheduled it is gone. Runs on a schema of its own, so no other
 * replica can fire the deadline in its place.
 */
class DurableTimeoutTest {

    private static final String SCHEMA = TestDatabase.schema("timeout");
    private static final Map<String, String> SHORT_PAUSE = Map.of(
            "interlock.timeouts.instance.per-action.pause", "PT6S");

    @Test
    void aTimeoutScheduledBeforeARestartFiresAfterIt() throws Exception {
        String id;
        String taskId;
        try (Replica before = Replica.start("timeout-1", SCHEMA, SHORT_PAUSE)) {
            id = Instances.active(before, "alice");
            Api.Response pausing = Api.as("alice").post(before, "/v1/instances/" + id + "/actions/pause", "{}");
            assertThat(pausing.status()).isEqualTo(202);
            taskId = pausing.field("taskId");
            assertThat(EventStore.count(SCHEMA, "select count(*) from scheduled_tasks where task_data is not null"))
                    .isPositive();
        }
        // The process that scheduled the timeout is gone; the task has not timed out yet.
        assertThat(timedOut(id)).isZero();

        try (Replica after = Replica.start("timeout-2", SCHEMA, SHORT_PAUSE)) {
            Instant giveUp = Instant.now().plus(Duration.ofSeconds(45));
            while (timedOut(id) == 0 && Instant.now().isBefore(giveUp)) {
                Thread.sleep(250);
            }
            assertThat(timedOut(id)).isEqualTo(1);
            var last = EventStore.history(SCHEMA, id).get(EventStore.history(SCHEMA, id).size() - 1);
            assertThat(last.shortType()).isEqualTo("InstanceTaskTimedOut");
            assertThat(last.payload()).contains(taskId, "\"vmState\":\"ACTIVE\"", "PT6S");
            // and the replica that fired it counts it where Prometheus looks
            assertThat(Scrape.of(after, "admin").sum("interlock_timeouts_fired_total", "timeout", "instance-task"))
                    .isEqualTo(1);

            // the timed-out task is over: its late report is stale, and the instance is free again
            Api.Response late = Api.as("agent").post(after, "/v1/instances/acme:" + id + "/tasks/" + taskId + "/complete");
            assertThat(late.problemType()).isEqualTo("stale-task");
            assertThat(Api.as("alice").post(after, "/v1/instances/" + id + "/actions/pause", "{}").status())
                    .isEqualTo(202);
        }
    }

    private static long timedOut(String id) {
        return EventStore.count(SCHEMA, "select count(*) from domain_event_entry where aggregate_identifier = ? "
                + "and payload_type like '%InstanceTaskTimedOut'", "acme:" + id);
    }
}
