package io.interlock.command;

import io.interlock.command.support.Api;
import io.interlock.command.support.Await;
import io.interlock.lifecycle.TenantIds;
import io.interlock.command.support.Endpoint;
import io.interlock.command.support.EventStore;
import io.interlock.command.support.ReplicaProcess;
import io.interlock.command.support.TestDatabase;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two command-side replicas in processes of their own under a bounded load of commands, one
 * killed with SIGKILL part way. Every acknowledged command is in the event store, every instance
 * keeps its invariants, the survivor fires the dead replica's due timeouts (those it had picked
 * included) within seconds, and a keyed request the dead replica was running is taken over after
 * its lease, with one effect.
 * <p>
 * To have work in flight on the victim at the kill, the test holds, in open transactions of its
 * own, the event-store row that a command or a timeout is about to write: the victim's insert
 * waits on that row when it is killed, and the row is let go once it is dead.
 */
class ReplicaKillTest {

    /**
     * Every instance here is alice's, kept in the acme tenant's id space: the agent names it so, and
     * so does the store.
     */
    private static final String STORED = "acme:";


    private static final String SCHEMA = TestDatabase.schema("kill");
    private static final Duration PAUSE_TIMEOUT = Duration.ofSeconds(4);
    private static final Duration LEASE = Duration.ofSeconds(5);
    private static final Map<String, String> PROPERTIES = Map.of(
            "interlock.timeouts.instance.per-action.pause", PAUSE_TIMEOUT.toString(),
            "interlock.idempotency.in-progress-lease", LEASE.toString(),
            "db-scheduler.threads", "4");
    private static final int CLIENTS = 6;
    private static final int MAX_REQUESTS_PER_CLIENT = 400;
    /** Twice db-scheduler.threads: the first replica to poll can run only half of them, the other takes the rest. */
    private static final int HELD_TIMEOUTS = 8;
    /** Picked by a dead replica: 8 s of silence, looked for every 4 s; the rest is slack for a loaded host. */
    private static final Duration MAX_LATE = Duration.ofSeconds(25);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final ConcurrentLinkedQueue<Ack> acknowledged = new ConcurrentLinkedQueue<>();
    private final AtomicInteger cutOff = new AtomicInteger();
    private final ConcurrentLinkedQueue<String> serverErrors = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<String> unexpected = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<Keyed> lostKeyed = new ConcurrentLinkedQueue<>();
    private final Set<String> keysUsed = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private volatile boolean victimDead;
    private volatile boolean stopLoad;
    private ReplicaProcess survivor;
    private ReplicaProcess victim;

    record Keyed(String user, String path, String body, String key) {
    }

    /** A 2xx answer: the version it reported must be in the store. */
    record Ack(String id, long version) {
    }

    @Test
    void aReplicaKilledUnderLoadLosesNothingAndItsTimeoutsAndKeysAreTakenOver() throws Exception {
        TestDatabase.freshSchema(SCHEMA);
        // one migrates while the other waits on Flyway's lock, then both start their schedulers
        survivor = ReplicaProcess.start("survivor", SCHEMA, PROPERTIES);
        victim = ReplicaProcess.start("victim", SCHEMA, PROPERTIES);
        List<Connection> blockers = new ArrayList<>();
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS + 1);
        try {
            survivor.awaitHealthy(Duration.ofMinutes(3));
            victim.awaitHealthy(Duration.ofMinutes(3));
            Instant started = Instant.now();

            List<String> held = new ArrayList<>();
            for (int i = 0; i < HELD_TIMEOUTS; i++) {
                held.add(activeInstance("held-" + i));
            }
            String inflight = activeInstance("inflight");

            List<Future<?>> load = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                int client = c;
                load.add(clients.submit(() -> client(client)));
            }
            Thread.sleep(1000);

            // Timeouts due at once, each held at its write: whichever replica picks one waits on it.
            Map<String, Connection> holds = new LinkedHashMap<>();
            for (String id : held) {
                Api.Response paused = Api.as("alice").post(survivor, "/v1/instances/" + id + "/actions/pause", "{}");
                assertThat(paused.status()).as(paused.text()).isEqualTo(202);
                Connection hold = holdEventSlot(id, 3);
                blockers.add(hold);
                holds.put(id, hold);
            }
            assertThat(Await.until(Duration.ofSeconds(30), () -> pickedDeadlines(held).size() == HELD_TIMEOUTS))
                    .as("every held timeout picked").isTrue();
            Map<String, String> pickedBy = pickedDeadlines(held);
            List<String> heldByVictim = new ArrayList<>();
            for (String id : held) {
                if (pickedBy.get(id).contains("-" + victim.pid() + "-")) {
                    heldByVictim.add(id);
                } else {
                    holds.get(id).rollback(); // the survivor's own: let them fire now
                }
            }

            // A keyed command the victim is running when it dies: its key is claimed, its write waits.
            Connection keyHold = holdEventSlot(inflight, 2);
            blockers.add(keyHold);
            String inflightKey = "inflight-" + UUID.randomUUID();
            keysUsed.add(inflightKey);
            CompletableFuture<Api.Response> firstAttempt = CompletableFuture.supplyAsync(() -> {
                try {
                    return Api.as("alice").header("Idempotency-Key", inflightKey)
                            .post(victim, "/v1/instances/" + inflight + "/actions/lock", "{}");
                } catch (IllegalStateException cut) {
                    return null;
                }
            }, clients);
            assertThat(Await.until(Duration.ofSeconds(20), () -> count("select count(*) from idempotency_key "
                    + "where idem_key = ? and status = 'IN_PROGRESS'", inflightKey) == 1)).isTrue();
            Instant claimed = Instant.now();
            Thread.sleep(300);

            victim.kill();
            Instant killedAt = Instant.now();
            victimDead = true;
            long inProgressLeft = count("select count(*) from idempotency_key where status = 'IN_PROGRESS'");
            long pickedByDead = count("select count(*) from scheduled_tasks where picked and picked_by like ?",
                    "%-" + victim.pid() + "-%");
            for (Connection hold : blockers) {
                if (!hold.isClosed()) {
                    hold.rollback();
                }
            }
            assertThat(firstAttempt.get(30, TimeUnit.SECONDS)).as("the victim never answered").isNull();

            // The retry lands while the claim is young: in progress. After the lease it runs, once.
            Api.Response early = Api.as("alice").header("Idempotency-Key", inflightKey)
                    .post(survivor, "/v1/instances/" + inflight + "/actions/lock", "{}");
            boolean earlyWithinLease = Instant.now().isBefore(claimed.plus(LEASE).minusSeconds(1));
            Api.Response takenOver = retry(new Keyed("alice", "/v1/instances/" + inflight + "/actions/lock", "{}",
                    inflightKey));

            Thread.sleep(Math.max(0, Duration.between(Instant.now(), killedAt.plusSeconds(6)).toMillis()));
            Instant loadStopped = Instant.now();
            stopLoad = true;
            for (Future<?> client : load) {
                client.get(60, TimeUnit.SECONDS); // a client finishes the request it is in
            }
            List<Api.Response> retries = new ArrayList<>();
            for (Keyed lost : lostKeyed) {
                retries.add(retry(lost));
            }

            // every pause (nobody reports one) must end by its timeout
            assertThat(Await.until(Duration.ofSeconds(60), () -> count("select count(*) from domain_event_entry "
                    + "where payload_type like '%InstanceTaskStarted' and convert_from(payload, 'UTF8') like '%PAUSE%'")
                    == count("select count(*) from domain_event_entry where payload_type like '%InstanceTaskTimedOut'")))
                    .as("every pause timed out").isTrue();

            Audit audit = audit(killedAt);
            Duration takeover = Duration.ZERO;
            for (String id : heldByVictim) {
                Duration after = Duration.between(killedAt, timedOutAt(id));
                takeover = after.compareTo(takeover) > 0 ? after : takeover;
            }
            Set<String> stored = audit.slots;
            List<Ack> lost = acknowledged.stream().filter(ack -> !stored.contains(ack.id() + "#" + ack.version()))
                    .toList();
            Map<String, Long> effectsPerKey = new HashMap<>();
            for (String key : keysUsed) {
                effectsPerKey.put(key, count("select count(*) from domain_event_entry "
                        + "where convert_from(meta_data, 'UTF8') like ?", "%\"" + key + "\"%"));
            }

            System.out.printf("""
                    replica kill: %d commands acknowledged (%d answers cut off by the kill), lost = %d,
                      load %.1f s, kill at +%.1f s; %d 5xx; %d other unexpected answers %s
                      timeouts: %d fired, late by at most %d ms; %d due after the kill, late by at most %d ms;
                      %d picked by the victim when it died (%d rows left picked), fired by the survivor %d ms after the kill
                      keys: %d IN_PROGRESS left by the victim, %d cut-off keyed requests retried, \
                    in-flight key first retry %s, after its lease %s
                    """, acknowledged.size(), cutOff.get(), lost.size(),
                    Duration.between(started, loadStopped).toMillis() / 1000.0,
                    Duration.between(started, killedAt).toMillis() / 1000.0, serverErrors.size(), unexpected.size(),
                    unexpected.stream().limit(5).toList(), audit.timeouts, audit.maxLate.toMillis(), audit.dueAfterKill,
                    audit.maxLateAfterKill.toMillis(), heldByVictim.size(), pickedByDead, takeover.toMillis(), inProgressLeft,
                    lostKeyed.size(), early, takenOver);

            assertThat(lost).as("acknowledged but not stored").isEmpty();
            assertThat(serverErrors).isEmpty();
            assertThat(audit.violations).as("invariants").isEmpty();
            assertThat(audit.timeouts).isGreaterThanOrEqualTo(HELD_TIMEOUTS);
            assertThat(audit.dueAfterKill).isPositive();
            assertThat(audit.maxLate).isLessThan(MAX_LATE);
            assertThat(heldByVictim).as("timeouts the victim was running when it died").isNotEmpty();
            assertThat(takeover).isLessThan(MAX_LATE);
            assertThat(count("select count(*) from scheduled_tasks where picked and picked_by like ?",
                    "%-" + victim.pid() + "-%")).as("nothing left picked by the dead").isZero();

            assertThat(inProgressLeft).isPositive();
            if (earlyWithinLease) {
                assertThat(early.problemType()).isEqualTo("request-in-progress");
            }
            assertThat(takenOver.status()).as(takenOver.text()).isEqualTo(200);
            assertThat(takenOver.field("locked")).isEqualTo("true");
            assertThat(effectsPerKey.get(inflightKey)).isEqualTo(1);
            assertThat(retries).allSatisfy(r -> {
                assertThat(r.status()).as(r.text()).isLessThan(500);
                assertThat(r.problemType()).isNotEqualTo("request-in-progress");
            });
            assertThat(effectsPerKey).allSatisfy((key, effects) -> assertThat(effects).as(key).isLessThanOrEqualTo(1));
        } finally {
            clients.shutdownNow();
            for (Connection hold : blockers) {
                try {
                    hold.close();
                } catch (SQLException ignored) {
                    // the test is over
                }
            }
            victim.close();
            survivor.close();
        }
    }

    // ---------------------------------------------------------------------------------------
    // The load: each client walks its own instances through a life, on both replicas in turn
    // ---------------------------------------------------------------------------------------

    private void client(int client) {
        int requests = 0;
        for (int n = 0; !stopLoad && requests < MAX_REQUESTS_PER_CLIENT && !Thread.interrupted(); n++) {
            String id = "load-" + client + "-" + n;
            String base = "/v1/instances/" + id;
            boolean keyed = n % 2 == 0;
            requests += 9;
            Api.Response created = send(n, "alice", "POST", "/v1/instances",
                    "{\"id\":\"" + id + "\",\"name\":\"load\",\"flavor\":\"m1\"}", keyed, 201);
            if (created == null || !complete(n + 1, id, created.field("taskId"))) {
                continue;
            }
            if (send(n, "alice", "POST", base + "/actions/lock", "{}", true, 200) == null
                    || send(n + 1, "alice", "POST", base + "/actions/unlock", "{}", keyed, 200) == null) {
                continue;
            }
            Api.Response stopping = send(n, "alice", "POST", base + "/actions/stop", "{}", keyed, 202);
            if (stopping == null || !complete(n + 1, id, stopping.field("taskId"))) {
                continue;
            }
            Api.Response starting = send(n + 1, "alice", "POST", base + "/actions/start", "{}", false, 202);
            if (starting == null || !complete(n, id, starting.field("taskId"))) {
                continue;
            }
            // left to time out
            send(n + 1, "alice", "POST", base + "/actions/pause", "{}", keyed, 202);
        }
    }

    private boolean complete(int turn, String id, String taskId) {
        return send(turn, "agent", "POST", "/v1/instances/" + STORED + id + "/tasks/" + taskId + "/complete", null,
                false, 200) != null;
    }

    /** One request; null when it was not answered as expected (the instance is then left alone). */
    private Api.Response send(int turn, String user, String method, String path, String body, boolean keyed,
                              int expected) {
        Endpoint replica = victimDead || turn % 2 == 0 ? survivor : victim;
        String key = keyed ? "load-" + UUID.randomUUID() : null;
        Api.Request request = Api.as(user);
        if (key != null) {
            request.header("Idempotency-Key", key);
            keysUsed.add(key);
        }
        Api.Response response;
        try {
            response = request.send(replica, method, path, body, body == null ? null : "application/json");
        } catch (IllegalStateException cut) {
            cutOff.incrementAndGet();
            if (key != null) {
                lostKeyed.add(new Keyed(user, path, body, key));
            }
            return null;
        }
        if (response.status() >= 500) {
            serverErrors.add(method + " " + path + " " + response.status() + " " + response.text());
            return null;
        }
        if (response.status() != expected) {
            unexpected.add(method + " " + path + " " + response);
            return null;
        }
        acknowledged.add(new Ack(response.field("id"), Long.parseLong(response.field("version"))));
        return response;
    }

    /** Sends a cut-off keyed request again, on the survivor, until its first attempt's claim is let go. */
    private Api.Response retry(Keyed lost) throws InterruptedException {
        Instant giveUp = Instant.now().plus(Duration.ofSeconds(30));
        while (true) {
            Api.Response answer = Api.as(lost.user()).header("Idempotency-Key", lost.key())
                    .send(survivor, "POST", lost.path(), lost.body(), lost.body() == null ? null : "application/json");
            if (!"request-in-progress".equals(answer.problemType()) || Instant.now().isAfter(giveUp)) {
                return answer;
            }
            Thread.sleep(500);
        }
    }

    private String activeInstance(String prefix) {
        String id = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        Api.Response created = Api.as("alice").post(survivor, "/v1/instances",
                "{\"id\":\"" + id + "\",\"name\":\"held\",\"flavor\":\"m1\"}");
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        Api.Response spawned = Api.as("agent").post(victim,
                "/v1/instances/" + STORED + id + "/tasks/" + created.field("taskId") + "/complete");
        assertThat(spawned.status()).as(spawned.text()).isEqualTo(200);
        return id;
    }

    // ---------------------------------------------------------------------------------------
    // The database, read and held directly
    // ---------------------------------------------------------------------------------------

    /**
     * Writes the event an instance's next command or timeout would write, in a transaction left
     * open: a replica's insert of that slot waits until the transaction rolls back.
     */
    private static Connection holdEventSlot(String id, long sequence) throws SQLException {
        Connection c = TestDatabase.connect(SCHEMA);
        c.setAutoCommit(false);
        try (PreparedStatement s = c.prepareStatement("insert into domain_event_entry (global_index, "
                + "aggregate_identifier, sequence_number, type, event_identifier, payload_type, payload, time_stamp) "
                + "values (nextval('domain_event_entry_global_index_seq'), ?, ?, 'Instance', ?, 'held', ''::bytea, 'held')")) {
            s.setString(1, STORED + id);
            s.setLong(2, sequence);
            s.setString(3, UUID.randomUUID().toString());
            s.executeUpdate();
        }
        return c;
    }

    /** Instance id to the scheduler that picked its pause timeout, for those picked. */
    private static Map<String, String> pickedDeadlines(List<String> ids) {
        Map<String, String> picked = new HashMap<>();
        try (Connection c = TestDatabase.connect(SCHEMA); PreparedStatement s = c.prepareStatement(
                "select picked_by from scheduled_tasks where task_name = 'AxonDeadline' and picked "
                        + "and execution_time < now() + interval '1 minute' "
                        + "and position(convert_to(?, 'UTF8') in task_data) > 0")) {
            for (String id : ids) {
                s.setString(1, id);
                try (ResultSet rs = s.executeQuery()) {
                    if (rs.next()) {
                        picked.put(id, rs.getString(1));
                    }
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return picked;
    }

    record Audit(Set<String> slots, List<String> violations, int timeouts, int dueAfterKill, Duration maxLate,
                 Duration maxLateAfterKill) {
    }

    /**
     * Reads every instance's history in order and checks it: versions 0..n without a gap, one task
     * at a time (a new task only supersedes the current one, an end only ends the current one),
     * and how late each pause timed out.
     */
    private static Audit audit(Instant killedAt) throws SQLException {
        Set<String> slots = new HashSet<>();
        List<String> violations = new ArrayList<>();
        Map<String, Long> nextSequence = new HashMap<>();
        Map<String, String> currentTask = new HashMap<>();
        Map<String, Instant> pauseDue = new HashMap<>();
        int timeouts = 0;
        int dueAfterKill = 0;
        Duration maxLate = Duration.ZERO;
        Duration maxLateAfterKill = Duration.ZERO;
        try (Connection c = TestDatabase.connect(SCHEMA); PreparedStatement s = c.prepareStatement(
                "select aggregate_identifier, sequence_number, payload_type, convert_from(payload, 'UTF8'), time_stamp "
                        + "from domain_event_entry order by aggregate_identifier, sequence_number");
             ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                String id = TenantIds.bare(rs.getString(1));
                long sequence = rs.getLong(2);
                String type = rs.getString(3);
                slots.add(id + "#" + sequence);
                if (!type.contains("InstanceEvents$")) {
                    continue;
                }
                long expected = nextSequence.getOrDefault(id, 0L);
                if (sequence != expected) {
                    violations.add(id + ": version " + sequence + " after " + (expected - 1));
                }
                nextSequence.put(id, sequence + 1);
                JsonNode event = JSON.readTree(rs.getString(4));
                Instant at = Instant.parse(rs.getString(5));
                String taskId = event.path("taskId").asString(null);
                String current = currentTask.get(id);
                switch (type.substring(type.lastIndexOf('$') + 1)) {
                    case "InstanceCreated" -> currentTask.put(id, taskId);
                    case "InstanceTaskStarted" -> {
                        String superseded = event.path("supersededTaskId").asString(null);
                        if (current != null && !current.equals(superseded)) {
                            violations.add(id + ": task " + taskId + " started while " + current + " runs");
                        }
                        currentTask.put(id, taskId);
                        if ("PAUSE".equalsIgnoreCase(event.path("action").asString(""))) {
                            pauseDue.put(taskId, at.plus(PAUSE_TIMEOUT));
                        }
                    }
                    case "InstanceTaskCompleted", "InstanceTaskFailed", "InstanceTaskTimedOut" -> {
                        if (!taskId.equals(current)) {
                            violations.add(id + ": " + type + " for " + taskId + " while " + current + " is current");
                        }
                        currentTask.put(id, null);
                        Instant due = pauseDue.remove(taskId);
                        if (type.endsWith("InstanceTaskTimedOut") && due != null) {
                            timeouts++;
                            Duration late = Duration.between(due, at);
                            maxLate = late.compareTo(maxLate) > 0 ? late : maxLate;
                            if (due.isAfter(killedAt)) {
                                dueAfterKill++;
                                maxLateAfterKill = late.compareTo(maxLateAfterKill) > 0 ? late : maxLateAfterKill;
                            }
                        }
                    }
                    case "InstanceStateReset" -> currentTask.put(id, null);
                    default -> { }
                }
            }
        }
        pauseDue.keySet().forEach(task -> violations.add("pause " + task + " never timed out"));
        return new Audit(slots, violations, timeouts, dueAfterKill, maxLate, maxLateAfterKill);
    }

    private static Instant timedOutAt(String id) throws SQLException {
        try (Connection c = TestDatabase.connect(SCHEMA); PreparedStatement s = c.prepareStatement(
                "select time_stamp from domain_event_entry where aggregate_identifier = ? "
                        + "and payload_type like '%InstanceTaskTimedOut'")) {
            s.setString(1, STORED + id);
            try (ResultSet rs = s.executeQuery()) {
                assertThat(rs.next()).as(id + " timed out").isTrue();
                return Instant.parse(rs.getString(1));
            }
        }
    }

    private static long count(String sql, Object... args) {
        return EventStore.count(SCHEMA, sql, args);
    }
}
