package io.interlock.bench;

import io.interlock.command.support.Api;
import io.interlock.command.support.Replica;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Namespace allocation on one subsystem against eight, at the same concurrency (issue 5). Each
 * client runs allocate, release and removed cycles over HTTP. Allocations on different
 * subsystems touch different aggregates only, so eight subsystems should go faster than one:
 * the ratio shows that nothing node-wide or global serialises them.
 */
final class AllocationBenchmark {

    private AllocationBenchmark() {
    }

    static List<Result> run(Replica replica, int clients, Duration duration) throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 6);
        String node = "bench-node-" + run;
        expect(Api.as("admin").post(replica, "/v1/nodes", "{\"nodeId\":\"" + node + "\",\"maxSubsystems\":16}"), 201);
        List<String> subsystems = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            String nqn = "nqn.2026-01.io.interlock:" + node + ":s" + i;
            expect(Api.as("admin").post(replica, "/v1/subsystems",
                    "{\"nqn\":\"" + nqn + "\",\"nodeId\":\"default:" + node + "\",\"maxNamespaces\":50}"), 201);
            subsystems.add("default:" + nqn);
        }
        Result one = measure(replica, "1 subsystem", clients, duration, i -> subsystems.get(0));
        Result eight = measure(replica, "8 subsystems", clients, duration, i -> subsystems.get(i % 8));
        double ratio = (double) eight.figures().get("commandsPerSecond") / (double) one.figures().get("commandsPerSecond");
        return List.of(one, eight, Result.of("allocation", "8 / 1 subsystems", "ratio", Math.round(ratio * 100) / 100.0));
    }

    private static Result measure(Replica replica, String variant, int clients, Duration duration,
                                  java.util.function.IntFunction<String> subsystemOf) throws Exception {
        Latencies latencies = new Latencies();
        AtomicInteger refused = new AtomicInteger();
        long end = System.nanoTime() + duration.toNanos();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        List<Future<?>> workers = new ArrayList<>();
        long started = System.nanoTime();
        for (int c = 0; c < clients; c++) {
            String nqn = subsystemOf.apply(c);
            int client = c;
            workers.add(pool.submit(() -> {
                int cycle = 0;
                while (System.nanoTime() < end) {
                    String lvol = "lv-" + client + "-" + cycle++ + "-" + UUID.randomUUID().toString().substring(0, 4);
                    String base = "/v1/subsystems/" + nqn + "/namespaces";
                    if (!timed(latencies, refused, () -> Api.as("admin").post(replica, base, "{\"lvolId\":\"" + lvol + "\"}"))) {
                        continue;
                    }
                    timed(latencies, refused, () -> Api.as("admin").delete(replica, base + "/" + lvol));
                    timed(latencies, refused, () -> Api.as("agent").post(replica, base + "/" + lvol + "/removed"));
                }
                return null;
            }));
        }
        for (Future<?> worker : workers) {
            worker.get();
        }
        pool.shutdown();
        double seconds = (System.nanoTime() - started) / 1e9;
        return Result.of("allocation", variant, "clients", clients, "commands", latencies.count(),
                "refused", refused.get(), "commandsPerSecond", Math.round(latencies.count() / seconds * 10) / 10.0,
                "p50Ms", latencies.percentileMillis(50), "p99Ms", latencies.percentileMillis(99));
    }

    private static boolean timed(Latencies latencies, AtomicInteger refused, java.util.function.Supplier<Api.Response> call) {
        long t0 = System.nanoTime();
        Api.Response response = call.get();
        if (response.status() >= 300) {
            refused.incrementAndGet();
            return false;
        }
        latencies.record(System.nanoTime() - t0);
        return true;
    }

    static Api.Response expect(Api.Response response, int status) {
        if (response.status() != status) {
            throw new IllegalStateException("Expected " + status + " but got " + response.status() + ": " + response.text());
        }
        return response;
    }
}
