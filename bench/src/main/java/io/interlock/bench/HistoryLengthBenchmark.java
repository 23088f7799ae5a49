package io.interlock.bench;

import io.interlock.command.gateway.CommandDispatcher;
import io.interlock.command.instance.InstanceCommands.RequestInstanceAction;
import io.interlock.command.instance.InstanceStatus;
import io.interlock.command.store.CatchUpCachingRepository;
import io.interlock.command.support.Replica;
import io.interlock.command.support.TestDatabase;
import io.interlock.instance.InstanceAction;
import io.interlock.instance.InstanceEvents.InstanceCreated;
import io.interlock.instance.InstanceEvents.InstanceLocked;
import io.interlock.instance.InstanceEvents.InstanceTaskCompleted;
import io.interlock.instance.InstanceEvents.InstanceUnlocked;
import io.interlock.instance.VmState;

import org.springframework.core.env.Environment;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Command latency on instances with 10, 1,000 and 100,000 events. Each history is
 * written straight into the event store, then the same lock and unlock commands are timed three
 * ways: the first command (which folds the whole history and asks for a snapshot), commands with
 * the aggregate cache emptied before each (snapshot plus the events after it), and commands on a
 * cached aggregate (one query for what other replicas appended). Flat means snapshots work.
 */
final class HistoryLengthBenchmark {

    private HistoryLengthBenchmark() {
    }

    static List<Result> run(Replica replica, String schema, int[] lengths, int commands) throws Exception {
        CommandDispatcher dispatcher = replica.bean(CommandDispatcher.class);
        CatchUpCachingRepository<?> repository = replica.bean("instanceRepository", CatchUpCachingRepository.class);
        int snapshotEvery = replica.bean(Environment.class)
                .getProperty("interlock.aggregates.snapshot-every", Integer.class, 100);
        List<Result> results = new ArrayList<>();
        Double coldShortest = null;
        Double warmShortest = null;
        for (int length : lengths) {
            // the event store's id of alice's (acme's) instance
            String id = "acme:bench-history-" + length + "-" + UUID.randomUUID().toString().substring(0, 6);
            write(replica, schema, id, length);

            Toggle toggle = new Toggle(dispatcher, id, length);
            long t0 = System.nanoTime();
            toggle.run();
            double firstMs = (System.nanoTime() - t0) / 1e6;
            if (length > snapshotEvery) {
                awaitSnapshot(schema, id);
            }

            Latencies cold = new Latencies();
            Latencies warm = new Latencies();
            for (int i = 1; i <= commands; i++) {
                repository.forgetCached();
                cold.time(toggle);
            }
            for (int i = 1; i <= commands; i++) {
                warm.time(toggle);
            }
            coldShortest = coldShortest == null ? cold.percentileMillis(50) : coldShortest;
            warmShortest = warmShortest == null ? warm.percentileMillis(50) : warmShortest;
            results.add(Result.of("history length", length + " events",
                    "firstCommandMs", Math.round(firstMs * 100) / 100.0,
                    "snapshotP50Ms", cold.percentileMillis(50), "snapshotP99Ms", cold.percentileMillis(99),
                    "cachedP50Ms", warm.percentileMillis(50), "cachedP99Ms", warm.percentileMillis(99),
                    "snapshotP50VsShortest", ratio(cold.percentileMillis(50), coldShortest),
                    "cachedP50VsShortest", ratio(warm.percentileMillis(50), warmShortest)));
        }
        return results;
    }

    /** Created, spawned, then alternately locked and unlocked until the history has {@code length} events. */
    private static void write(Replica replica, String schema, String id, int length) throws Exception {
        try (StoredEvents events = new StoredEvents(replica, schema)) {
            String task = UUID.randomUUID().toString();
            events.append("Instance", id, 0, new InstanceCreated(id, "acme", "bench", "m1", task));
            events.append("Instance", id, 1, new InstanceTaskCompleted(id, InstanceAction.CREATE, task, VmState.ACTIVE));
            for (int sequence = 2; sequence < length; sequence++) {
                events.append("Instance", id, sequence,
                        sequence % 2 == 0 ? new InstanceLocked(id) : new InstanceUnlocked(id));
            }
        }
    }

    /** Locks the instance if it is unlocked and the other way round: every command appends one event. */
    private static final class Toggle implements Runnable {

        private final CommandDispatcher dispatcher;
        private final String id;
        private boolean locked;

        Toggle(CommandDispatcher dispatcher, String id, int length) {
            this.dispatcher = dispatcher;
            this.id = id;
            // events 2, 4, 6... lock and 3, 5, 7... unlock
            this.locked = length > 2 && (length - 1) % 2 == 0;
        }

        @Override
        public void run() {
            InstanceAction action = locked ? InstanceAction.UNLOCK : InstanceAction.LOCK;
            InstanceStatus status = dispatcher.send(new RequestInstanceAction(id, action, null, null, null, false, null));
            if (status.locked() == locked) {
                throw new IllegalStateException(action + " left " + id + " as it was");
            }
            locked = status.locked();
        }
    }

    private static void awaitSnapshot(String schema, String id) throws Exception {
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (!hasSnapshot(schema, id)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("No snapshot of " + id + " was taken");
            }
            Thread.sleep(20);
        }
    }

    private static boolean hasSnapshot(String schema, String id) throws SQLException {
        try (Connection c = TestDatabase.connect(schema);
             PreparedStatement s = c.prepareStatement("select 1 from snapshot_event_entry where aggregate_identifier = ?")) {
            s.setString(1, id);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next();
            }
        }
    }

    private static double ratio(double value, double base) {
        return Math.round(value / base * 100) / 100.0;
    }
}
