package io.interlock.bench;

import io.interlock.command.support.Api;
import io.interlock.query.support.QueryApp;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Read latency: the first page of a filtered instance list, over HTTP, with the replay
 * case's instances in the read model, a few clients at a time. A member's list is confined to its
 * tenant; an admin's filter runs across every tenant, so its count covers tens of thousands of rows.
 */
final class ReadBenchmark {

    private static final int CLIENTS = 4;

    private ReadBenchmark() {
    }

    static List<Result> run(QueryApp query, int instances, int requests) throws Exception {
        return List.of(
                measure(query, "alice", "/v1/instances?vmState=ACTIVE", "member, own tenant, vmState=ACTIVE",
                        instances, requests),
                measure(query, "admin", "/v1/instances?vmState=SHELVED,STOPPED&busy=false",
                        "admin, every tenant, vmState=SHELVED,STOPPED&busy=false", instances, requests));
    }

    private static Result measure(QueryApp query, String user, String path, String variant, int instances,
                                  int requests) throws Exception {
        Api.Response first = AllocationBenchmark.expect(Api.as(user).get(query, path), 200);
        long matching = first.json().get("totalItems").asLong();
        if (first.json().get("items").isEmpty()) {
            throw new IllegalStateException("The read case found nothing for " + path);
        }
        run(query, user, path, requests / 5, new Latencies()); // warm-up: JIT, connection pools, caches
        Latencies latencies = new Latencies();
        long started = System.nanoTime();
        run(query, user, path, requests, latencies);
        double seconds = (System.nanoTime() - started) / 1e9;
        return Result.of("read", variant, "instances", instances, "matching", matching, "requests", latencies.count(),
                "clients", CLIENTS, "requestsPerSecond", Math.round(latencies.count() / seconds),
                "p50Ms", latencies.percentileMillis(50), "p99Ms", latencies.percentileMillis(99),
                "p999Ms", latencies.percentileMillis(99.9));
    }

    private static void run(QueryApp query, String user, String path, int requests, Latencies latencies)
            throws Exception {
        AtomicInteger left = new AtomicInteger(requests);
        ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
        try {
            List<Future<?>> clients = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                clients.add(pool.submit(() -> {
                    while (left.getAndDecrement() > 0) {
                        long t0 = System.nanoTime();
                        AllocationBenchmark.expect(Api.as(user).get(query, path), 200);
                        latencies.record(System.nanoTime() - t0);
                    }
                    return null;
                }));
            }
            for (Future<?> client : clients) {
                client.get();
            }
        } finally {
            pool.shutdown();
        }
    }
}
