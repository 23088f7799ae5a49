package io.interlock.bench;

import io.interlock.command.support.Api;
import io.interlock.command.support.Replica;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Many clients on one resource (DESIGN §9): each round, 64 clients send a conflicting shelve to one
 * ACTIVE instance at the same instant. Exactly one may win; every rejection should be fast.
 */
final class ContentionBenchmark {

    private ContentionBenchmark() {
    }

    static List<Result> run(Replica replica, int clients, int rounds) throws Exception {
        String id = "bench-vm-" + UUID.randomUUID().toString().substring(0, 6);
        Api.Response created = AllocationBenchmark.expect(Api.as("alice").post(replica, "/v1/instances",
                "{\"id\":\"" + id + "\",\"name\":\"bench\",\"flavor\":\"m1\"}"), 201);
        complete(replica, id, created.field("taskId"));
        Latencies rejections = new Latencies();
        Latencies wins = new Latencies();
        int minWinners = Integer.MAX_VALUE;
        int maxWinners = 0;
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            for (int round = 0; round < rounds; round++) {
                CountDownLatch ready = new CountDownLatch(clients);
                CountDownLatch go = new CountDownLatch(1);
                List<Future<Timed>> calls = new ArrayList<>();
                for (int c = 0; c < clients; c++) {
                    calls.add(pool.submit(() -> {
                        ready.countDown();
                        go.await();
                        long t0 = System.nanoTime();
                        Api.Response r = Api.as("alice").post(replica, "/v1/instances/" + id + "/actions/shelve", "{}");
                        return new Timed(r, System.nanoTime() - t0);
                    }));
                }
                ready.await();
                go.countDown();
                int winners = 0;
                String shelveTask = null;
                for (Future<Timed> call : calls) {
                    Timed outcome = call.get();
                    if (outcome.response().status() == 202) {
                        winners++;
                        shelveTask = outcome.response().field("taskId");
                        wins.record(outcome.nanos());
                    } else if (outcome.response().status() == 409) {
                        rejections.record(outcome.nanos());
                    } else {
                        throw new IllegalStateException("Unexpected answer " + outcome.response().text());
                    }
                }
                minWinners = Math.min(minWinners, winners);
                maxWinners = Math.max(maxWinners, winners);
                if (shelveTask == null) {
                    throw new IllegalStateException("No shelve won round " + round);
                }
                complete(replica, id, shelveTask);
                unshelve(replica, id);
            }
        } finally {
            pool.shutdownNow();
        }
        return List.of(Result.of("contention", clients + " clients, one instance", "rounds", rounds,
                "winnersPerRoundMin", minWinners, "winnersPerRoundMax", maxWinners,
                "rejections", rejections.count(), "rejectionP50Ms", rejections.percentileMillis(50),
                "rejectionP99Ms", rejections.percentileMillis(99), "winnerP50Ms", wins.percentileMillis(50)));
    }

    private record Timed(Api.Response response, long nanos) {
    }

    /** Brings the shelved instance back, so the next round starts from ACTIVE again. */
    private static void unshelve(Replica replica, String id) {
        Api.Response unshelving = AllocationBenchmark.expect(
                Api.as("alice").post(replica, "/v1/instances/" + id + "/actions/unshelve", "{}"), 202);
        complete(replica, id, unshelving.field("taskId"));
    }

    private static void complete(Replica replica, String id, String taskId) {
        AllocationBenchmark.expect(Api.as("agent").post(replica, "/v1/instances/" + id + "/tasks/" + taskId + "/complete"), 200);
    }
}
