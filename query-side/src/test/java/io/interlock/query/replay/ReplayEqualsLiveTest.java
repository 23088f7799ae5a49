package io.interlock.query.replay;

import io.interlock.command.support.Api;
import io.interlock.command.support.Instances;
import io.interlock.command.support.Replica;
import io.interlock.command.support.TestDatabase;
import io.interlock.query.support.QueryApp;
import io.interlock.query.support.Stack;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A read model rebuilt from the event store must equal the one built live, row for row and
 * column for column, after a randomized workload of thousands of commands.
 */
class ReplayEqualsLiveTest {

    private static final String[] ACTIONS = {"stop", "start", "reboot", "pause", "unpause", "suspend", "resume",
            "shelve", "unshelve", "lock", "unlock", "rescue", "unrescue", "resize", "confirm-resize",
            "revert-resize", "snapshot", "rebuild", "live-migrate"};
    /** Actions likely to fit each vmState, so most of the workload changes something. */
    private static final Map<String, String[]> LIKELY = Map.of(
            "ACTIVE", new String[]{"stop", "pause", "suspend", "shelve", "rescue", "resize", "reboot", "snapshot",
                    "lock", "unlock", "live-migrate"},
            "STOPPED", new String[]{"start", "resize", "rebuild", "shelve", "rescue"},
            "PAUSED", new String[]{"unpause", "shelve"},
            "SUSPENDED", new String[]{"resume", "shelve"},
            "SHELVED", new String[]{"unshelve", "shelve-offload"},
            "SHELVED_OFFLOADED", new String[]{"unshelve"},
            "RESCUED", new String[]{"unrescue"},
            "RESIZED", new String[]{"confirm-resize", "revert-resize"},
            "ERROR", new String[]{"stop", "rebuild", "rescue"});
    private static final int INSTANCES = 40;
    private static final int COMMANDS = 2000;

    @Test
    void aReplayedReadModelEqualsTheLiveOne() throws Exception {
        Replica command = Stack.command();
        QueryApp query = Stack.query();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < INSTANCES; i++) {
            ids.add(Instances.active(command, i % 2 == 0 ? "alice" : "bob"));
        }
        Map<String, String> lastKnown = new ConcurrentHashMap<>();
        AtomicInteger sent = new AtomicInteger();
        AtomicInteger accepted = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<?>> workers = new ArrayList<>();
        for (int w = 0; w < 8; w++) {
            long seed = 7919L * (w + 1);
            workers.add(pool.submit(() -> workload(command, ids, lastKnown, new Random(seed), sent, accepted)));
        }
        for (Future<?> worker : workers) {
            worker.get();
        }
        pool.shutdown();
        assertThat(sent.get()).isGreaterThanOrEqualTo(COMMANDS);
        assertThat(accepted.get()).as("commands that changed something").isGreaterThan(COMMANDS / 8);

        awaitCaughtUp(query, false);
        List<List<Object>> live = snapshot();
        assertThat(live).hasSizeGreaterThanOrEqualTo(INSTANCES);

        Api.Response replay = Api.as("admin").post(query, "/v1/admin/projections/instance-projection/replay");
        assertThat(replay.status()).as(replay.text()).isEqualTo(202);
        assertThat(replay.field("rebuilding")).isEqualTo("true");
        Api.Response during = Api.as("alice").get(query, "/v1/instances");
        assertThat(during.status()).as("a rebuilding read model answers in full or says so").isIn(200, 503);
        if (during.status() == 503) {
            assertThat(during.problemType()).isEqualTo("rebuilding");
        }
        awaitCaughtUp(query, true);

        assertThat(snapshot()).isEqualTo(live);
        assertThat(Api.as("alice").get(query, "/v1/instances").status()).isEqualTo(200);
    }

    private static void workload(Replica command, List<String> ids, Map<String, String> lastKnown, Random random,
                                 AtomicInteger sent, AtomicInteger accepted) {
        while (sent.getAndIncrement() < COMMANDS) {
            int pick = random.nextInt(ids.size());
            String id = ids.get(pick);
            String owner = pick % 2 == 0 ? "alice" : "bob";
            // mostly what fits the state last seen, sometimes anything at all (refusals are part of the workload)
            String[] candidates = random.nextInt(4) == 0 ? ACTIONS
                    : LIKELY.getOrDefault(lastKnown.getOrDefault(id, "ACTIVE"), ACTIONS);
            String action = candidates[random.nextInt(candidates.length)];
            String body = switch (action) {
                case "resize" -> "{\"flavor\":\"m" + random.nextInt(4) + ".large\"}";
                case "snapshot" -> "{\"name\":\"snap\"}";
                case "shelve" -> "{\"offload\":" + random.nextBoolean() + "}";
                default -> "{}";
            };
            Api.Response response = Api.as(owner).post(command, "/v1/instances/" + id + "/actions/" + action, body);
            assertThat(response.status()).as(response.text()).isIn(200, 202, 409);
            if (response.field("vmState") != null) {
                lastKnown.put(id, response.field("vmState"));
            }
            if (response.status() == 409) {
                continue;
            }
            accepted.incrementAndGet();
            String taskId = response.field("taskId");
            if (response.status() == 202 && random.nextInt(10) < 9) {
                sent.incrementAndGet();
                String outcome = random.nextInt(5) == 0 ? "fail" : "complete";
                Api.Response report = Api.as("agent").post(command,
                        "/v1/instances/" + Api.ref("agent", owner, id) + "/tasks/" + taskId + "/" + outcome,
                        outcome.equals("fail") ? "{\"reason\":\"agent said no\"}" : "{\"result\":\"done\"}");
                assertThat(report.status()).as(report.text()).isIn(200, 409);
                if (report.field("vmState") != null) {
                    lastKnown.put(id, report.field("vmState"));
                }
            }
        }
    }

    private static void awaitCaughtUp(QueryApp query, boolean afterReplay) throws InterruptedException {
        Instant giveUp = Instant.now().plus(Duration.ofSeconds(90));
        JsonNode status = null;
        while (Instant.now().isBefore(giveUp)) {
            status = Api.as("admin").get(query, "/v1/admin/projections/instance-projection").json();
            boolean caughtUp = !status.get("rebuilding").asBoolean()
                    && status.get("position").asLong() >= status.get("head").asLong()
                    && status.get("claimedSegments").asInt() == status.get("segments").asInt();
            if (caughtUp) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("The projection did not catch up" + (afterReplay ? " after the replay" : "")
                + "; last status " + status);
    }

    private static List<List<Object>> snapshot() throws Exception {
        try (Connection c = TestDatabase.connect(Stack.SCHEMA); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select * from instance_view order by instance_id")) {
            ResultSetMetaData meta = rs.getMetaData();
            List<List<Object>> rows = new ArrayList<>();
            while (rs.next()) {
                List<Object> row = new ArrayList<>();
                for (int i = 1; i <= meta.getColumnCount(); i++) {
                    row.add(rs.getObject(i));
                }
                rows.add(row);
            }
            return rows;
        }
    }
}
