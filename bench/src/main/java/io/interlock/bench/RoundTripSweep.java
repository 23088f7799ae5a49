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
 * Starts and reports are counted apart because a start also writes its timeout. The round trips
 * of the command threads (the clients', Tomcat's) are the command path's; those of the replica's
 * background threads in the same sweeps (the sagas' processors reading each commit's events,
 * db-scheduler's polls) are counted apart.
 */
final class RoundTripSweep {

    /** Per command of the command threads, and of the replica's background threads in the same sweeps. */
    record PerCommand(double start, double report, double backgroundStart, double backgroundReport) {
    }

    private RoundTripSweep() {
    }

    static PerCommand measure(InstanceCycle cycle, List<String> ids, int clients) throws Exception {
        Map<String, String> tasks = new ConcurrentHashMap<>();
        long[] starts = new long[2];
        long[] reports = new long[2];
        int[] threads = {0};
        ExecutorService pool = Executors.newFixedThreadPool(clients, task -> new Thread(task, "bench-sweep-" + threads[0]++));
        RoundTrips.counting(true);
        try {
            for (InstanceAction action : List.of(InstanceAction.SHELVE, InstanceAction.UNSHELVE)) {
                add(starts, sweep(pool, ids, clients, id -> tasks.put(id, cycle.start(id, action))));
                add(reports, sweep(pool, ids, clients, id -> cycle.complete(id, tasks.get(id))));
            }
        } finally {
            RoundTrips.counting(false);
            pool.shutdown();
        }
        double commands = 2.0 * ids.size();
        return new PerCommand(starts[0] / commands, reports[0] / commands, starts[1] / commands, reports[1] / commands);
    }

    private static void add(long[] sum, long[] more) {
        sum[0] += more[0];
        sum[1] += more[1];
    }

    @FunctionalInterface
    private interface Step {
        void on(String id) throws Exception;
    }

    /** Runs {@code step} on every id, each client on its slice; answers the round trips it took, and the background's. */
    private static long[] sweep(ExecutorService pool, List<String> ids, int clients, Step step) throws Exception {
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
        long backgroundBefore = RoundTrips.background();
        for (Future<Void> done : pool.invokeAll(work)) {
            done.get();
        }
        return new long[]{RoundTrips.count() - before, RoundTrips.background() - backgroundBefore};
    }
}
