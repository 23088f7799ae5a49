package io.interlock.command.metrics;

import io.interlock.command.support.Api;
import io.interlock.command.support.Instances;
import io.interlock.command.support.Replica;
import io.interlock.command.support.Scrape;
import io.interlock.command.support.TwoReplicas;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Scrapes {@code /actuator/prometheus} before and after real commands over HTTP and finds that
 * the figures an operator graphs moved by what was sent.
 */
class MetricsTest {

    private static final String COMMANDS = "interlock_commands_total";

    @Test
    void commandsAreCountedPerTypeActionAndOutcome() {
        Replica a = TwoReplicas.a();
        String id = Instances.active(a, "alice");
        Scrape before = Scrape.of(a, "admin");

        assertThat(Api.as("alice").post(a, "/v1/instances/" + id + "/actions/shelve", "{}").status()).isEqualTo(202);
        assertThat(Api.as("alice").post(a, "/v1/instances/" + id + "/actions/shelve", "{}").problemType())
                .isEqualTo("invalid-state");
        assertThat(Api.as("alice").post(a, "/v1/instances/missing-" + UUID.randomUUID() + "/actions/stop", "{}")
                .problemType()).isEqualTo("not-found");
        Scrape after = Scrape.of(a, "admin");

        assertThat(delta(before, after, COMMANDS, "type", "instance", "action", "shelve", "outcome", "accepted",
                "reason", "none")).isEqualTo(1);
        assertThat(delta(before, after, COMMANDS, "type", "instance", "action", "shelve", "outcome", "rejected",
                "reason", "invalid-state")).isEqualTo(1);
        assertThat(delta(before, after, COMMANDS, "type", "instance", "action", "stop", "outcome", "rejected",
                "reason", "not-found")).isEqualTo(1);
        // the latency histogram counts the same commands, in buckets
        assertThat(delta(before, after, "interlock_command_duration_seconds_count", "type", "instance",
                "outcome", "accepted")).isEqualTo(1);
        assertThat(after.matching("interlock_command_duration_seconds_bucket", "type", "instance")).hasSizeGreaterThan(5);
        // Spring Boot's own: the HTTP server and the connection pool
        assertThat(after.has("http_server_requests_seconds_count")).isTrue();
        assertThat(after.has("hikaricp_connections_active")).isTrue();
        assertThat(after.has("interlock_deadlines_overdue")).isTrue();
        assertThat(after.matching("interlock_commands_total").get(0).labels()).containsKey("application");
    }

    @Test
    void anIdempotentReplayIsCounted() {
        Replica a = TwoReplicas.a();
        String id = Instances.active(a, "alice");
        String key = "metrics-" + UUID.randomUUID();
        Scrape before = Scrape.of(a, "agent");
        Api.Response first = Api.as("alice").header("Idempotency-Key", key).post(a, "/v1/instances/" + id + "/actions/lock", "{}");
        Api.Response again = Api.as("alice").header("Idempotency-Key", key).post(a, "/v1/instances/" + id + "/actions/lock", "{}");
        assertThat(first.status()).isEqualTo(200);
        assertThat(again.header("idempotency-replayed")).isEqualTo("true");
        Scrape after = Scrape.of(a, "agent");

        assertThat(delta(before, after, "interlock_idempotency_replays_total")).isEqualTo(1);
        // the replay sent no command
        assertThat(delta(before, after, COMMANDS, "type", "instance", "action", "lock")).isEqualTo(1);
    }

    /**
     * Two replicas taking turns on one instance as fast as they can: a replica whose cached
     * aggregate is behind loses the append and the dispatcher sends the command again.
     */
    @Test
    void racesLostOnTheEventStoreAreCounted() {
        Replica a = TwoReplicas.a();
        Replica b = TwoReplicas.b();
        String id = Instances.active(a, "alice");
        double before = Scrape.of(a, "admin").sum("interlock_command_lost_races_total", "type", "instance")
                + Scrape.of(b, "admin").sum("interlock_command_lost_races_total", "type", "instance");
        double lost = 0;
        for (int round = 0; round < 20 && lost == 0; round++) {
            List<CompletableFuture<Api.Response>> calls = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                Replica target = i % 2 == 0 ? a : b;
                String action = i % 4 < 2 ? "lock" : "unlock";
                calls.add(CompletableFuture.supplyAsync(() ->
                        Api.as("alice").post(target, "/v1/instances/" + id + "/actions/" + action, "{}")));
            }
            calls.forEach(call -> assertThat(call.join().status()).isEqualTo(200));
            lost = Scrape.of(a, "admin").sum("interlock_command_lost_races_total", "type", "instance")
                    + Scrape.of(b, "admin").sum("interlock_command_lost_races_total", "type", "instance") - before;
        }
        assertThat(lost).isPositive();
    }

    @Test
    void onlyTheAgentAdminAndMetricsRolesMayScrape() {
        Replica a = TwoReplicas.a();
        assertThat(Api.anonymous().get(a, "/actuator/prometheus").status()).isEqualTo(401);
        assertThat(Api.as("alice").get(a, "/actuator/prometheus").status()).isEqualTo(403);
        assertThat(Api.as("auditor").get(a, "/actuator/prometheus").status()).isEqualTo(403);
        Api.Request scraper = Api.as("prometheus").password("prometheus-secret");
        assertThat(scraper.get(a, "/actuator/prometheus").status()).isEqualTo(200);
        // the scrape account reads metrics and nothing else
        assertThat(scraper.post(a, "/v1/instances", "{\"name\":\"x\",\"flavor\":\"m1\"}").status()).isEqualTo(403);
        assertThat(scraper.get(a, "/v3/api-docs").status()).isEqualTo(403);
    }

    private static double delta(Scrape before, Scrape after, String name, String... labels) {
        return after.sum(name, labels) - before.sum(name, labels);
    }
}
