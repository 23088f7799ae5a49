package io.interlock.command.share;

import io.interlock.command.share.ShareCommands.AcquireSnapshotLease;
import io.interlock.command.support.Api;
import io.interlock.command.support.EventStore;
import io.interlock.command.support.Instances;
import io.interlock.command.support.Replica;
import io.interlock.command.support.Shares;
import io.interlock.command.support.TestDatabase;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A share's deadlines are real db-scheduler deadlines in PostgreSQL: a copy that
 * never finishes times out to ERROR and the saga gives its lease back, and a lease nobody releases
 * expires on its own. Runs on a schema of its own, with short timeouts.
 */
class ShareTimeoutTest {

    private static final String SCHEMA = TestDatabase.schema("share_timeout");
    private static final Map<String, String> SHORT = Map.of(
            "interlock.timeouts.share.per-action.create-from-snapshot", "PT4S",
            "interlock.timeouts.share.lease", "PT6S");

    @Test
    void aCopyThatTimesOutGivesItsLeaseBackAndAnUnreleasedLeaseExpires() throws Exception {
        try (Replica replica = Replica.start("share-timeout", SCHEMA, SHORT)) {
            String source = Shares.available(replica, "alice");
            String snapshotId = Shares.snapshot(replica, "alice", source);
            String copy = Instances.newId("copy");
            Api.Response created = Api.as("alice").post(replica, "/v1/shares",
                    "{\"id\":\"" + copy + "\",\"sourceShareId\":\"" + source + "\",\"snapshotId\":\"" + snapshotId + "\"}");
            assertThat(created.status()).as(created.text()).isEqualTo(201);
            // a lease whose owner never shows up: only its own expiry frees it
            replica.bean(CommandGateway.class).sendAndWait(new AcquireSnapshotLease("acme:" + source, snapshotId, "ghost", null));

            await(() -> count(copy, "ShareTaskTimedOut") == 1);
            var timedOut = EventStore.history(SCHEMA, copy).get(EventStore.history(SCHEMA, copy).size() - 1);
            assertThat(timedOut.payload()).contains(created.field("taskId"), "\"status\":\"ERROR\"", "PT4S");
            await(() -> count(source, "SnapshotLeaseReleased") == 1);
            assertThat(EventStore.history(SCHEMA, source).stream()
                    .filter(e -> e.shortType().equals("SnapshotLeaseReleased")).findFirst().orElseThrow().payload())
                    .contains(copy);

            await(() -> count(source, "SnapshotLeaseExpired") == 1);
            assertThat(EventStore.history(SCHEMA, source).stream()
                    .filter(e -> e.shortType().equals("SnapshotLeaseExpired")).findFirst().orElseThrow().payload())
                    .contains("ghost");
            Api.Response deleted = Api.as("alice").delete(replica, "/v1/shares/" + source + "/snapshots/" + snapshotId);
            assertThat(deleted.status()).as(deleted.text()).isEqualTo(202);

            Api.Response late = Api.as("agent").post(replica,
                    "/v1/shares/acme:" + copy + "/tasks/" + created.field("taskId") + "/complete");
            assertThat(late.problemType()).isEqualTo("stale-task");
        }
    }

    private static void await(java.util.function.BooleanSupplier condition) throws InterruptedException {
        Instant giveUp = Instant.now().plus(Duration.ofSeconds(45));
        while (!condition.getAsBoolean() && Instant.now().isBefore(giveUp)) {
            Thread.sleep(250);
        }
        assertThat(condition.getAsBoolean()).as("reached within 45 s").isTrue();
    }

    private static long count(String id, String type) {
        return EventStore.count(SCHEMA, "select count(*) from domain_event_entry where aggregate_identifier = ? "
                + "and payload_type like ?", "acme:" + id, "%" + type);
    }
}
