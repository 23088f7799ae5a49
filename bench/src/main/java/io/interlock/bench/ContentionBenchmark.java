package io.interlock.bench;

import io.interlock.command.gateway.CommandDispatcher;
import io.interlock.command.instance.InstanceCommands.RequestInstanceAction;
import io.interlock.command.instance.InstanceStatus;
import io.interlock.command.support.Api;
import io.interlock.command.support.Replica;
import io.interlock.instance.InstanceAction;
import io.interlock.lifecycle.Rejection;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Many clients on one resource: each round, 64 clients send a conflicting shelve to one
 * ACTIVE instance at the same instant, once over HTTP and once in-process through the command
 * gateway. Exactly one may win each round; every rejection should be fast.
 */
final class ContentionBenchmark {

    /** One client's shelve: the task id it started, or null when it was refused. */
    private interface Shelve {
        String attempt(String instanceId);
    }

    private ContentionBenchmark() {
    }

    static List<Result> run(Replica replica, int clients, int rounds) throws Exception {
        CommandDispatcher dispatcher = replica.bean(CommandDispatcher.class);
        Shelve overHttp = id -> {
            Api.Response r = Api.as("alice").post(replica, "/v1/instances/" + id + "/actions/shelve", "{}");
            if (r.status() == 202) {
                return r.field("taskId");
            }
            if (r.status() != 409) {
                throw new IllegalStateException("Unexpected answer " + r.text());
            }
            return null;
        };
        Shelve inProcess = id -> {
            String task = UUID.randomUUID().toString();
            try {
                InstanceStatus status = dispatcher.send(new RequestInstanceAction("acme:" + id, InstanceAction.SHELVE, task,
                        null, "acme", false, null));
                return task.equals(status.taskId()) ? task : null;
            } catch (Rejection refused) {
                return null;
            }
        };
        return List.of(measure(replica, "64 clients, one instance, HTTP", clients, rounds, overHttp),
                measure(replica, "64 clients, one instance, in-process", clients, rounds, inProcess));
    }

    private static Result measure(Replica replica, String variant, int clients, int rounds, Shelve shelve)
            throws Exception {
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
                        String task = shelve.attempt(id);
                        return new Timed(task, System.nanoTime() - t0);
                    }));
                }
                ready.await();
                go.countDown();
                int winners = 0;
                String shelveTask = null;
                for (Future<Timed> call : calls) {
                    Timed outcome = call.get();
                    if (outcome.task() != null) {
                        winners++;
                        shelveTask = outcome.task();
                        wins.record(outcome.nanos());
                    } else {
                        rejections.record(outcome.nanos());
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
        return Result.of("contention", variant, "rounds", rounds,
                "winnersPerRoundMin", minWinners, "winnersPerRoundMax", maxWinners,
                "rejections", rejections.count(), "rejectionP50Ms", rejections.percentileMillis(50),
                "rejectionP99Ms", rejections.percentileMillis(99), "winnerP50Ms", wins.percentileMillis(50));
    }

    private record Timed(String task, long nanos) {
    }

    /** Brings the shelved instance back, so the next round starts from ACTIVE again. */
    private static void unshelve(Replica replica, String id) {
        Api.Response unshelving = AllocationBenchmark.expect(
                Api.as("alice").post(replica, "/v1/instances/" + id + "/actions/unshelve", "{}"), 202);
        complete(replica, id, unshelving.field("taskId"));
    }

    private static void complete(Replica replica, String id, String taskId) {
        AllocationBenchmark.expect(Api.as("agent").post(replica, "/v1/instances/acme:" + id + "/tasks/" + taskId + "/complete"), 200);
    }
}
