package io.interlock.bench;

import io.interlock.instance.InstanceAction;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Database round trips per task start and per report, amortised over a burst: {@code clients}
 * clients each shelve every instance of their slice, then report each done, then unshelve and
 * report again, and each sweep's round trips ({@link RoundTrips}) are divided by its commands.
 * Starts and reports are counted apart because a start also writes its timeout. Background work
 * of the replica (db-scheduler polls twice a second) falls in the count too; over a sweep of a
 * thousand commands it adds well under 0.01 a command.
 */
final class RoundTripSweep {

    record PerCommand(double start, double report) {
    }

    private RoundTripSweep() {
    }

    static PerCommand measure(InstanceCycle cycle, List<String> ids, int clients) throws Exception {
        Map<String, String> tasks = new ConcurrentHashMap<>();
        long starts = 0;
        long reports = 0;
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            for (InstanceAction action : List.of(InstanceAction.SHELVE, InstanceAction.UNSHELVE)) {
                starts += sweep(pool, ids, clients, id -> tasks.put(id, cycle.start(id, action)));
                reports += sweep(pool, ids, clients, id -> cycle.complete(id, tasks.get(id)));
            }
        } finally {
            pool.shutdown();
        }
        return new PerCommand(starts / (2.0 * ids.size()), reports / (2.0 * ids.size()));
    }

    @FunctionalInterface
    private interface Step {
        void on(String id) throws Exception;
    }

    /** Runs {@code step} on every id, each client on its slice, and answers the round trips it took. */
    private static long sweep(ExecutorService pool, List<String> ids, int clients, Step step) throws Exception {
        List<Callable<Void>> work = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            List<String> mine = ClosedLoop.slice(ids, c, clients);
            work.add(() -> {
                for (String id : mine) {
                    step.on(id);
                }
                return null;
            });
        }
        long before = RoundTrips.count();
        for (Future<Void> done : pool.invokeAll(work)) {
            done.get();
        }
        return RoundTrips.count() - before;
    }
}
