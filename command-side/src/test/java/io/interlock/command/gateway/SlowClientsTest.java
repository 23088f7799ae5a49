package io.interlock.command.gateway;

import io.interlock.command.support.EventStore;
import io.interlock.command.support.Replica;
import io.interlock.command.support.SlowClients;
import io.interlock.command.support.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.interlock.command.support.SlowClients.answeredWithin;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * 500 clients that send their requests a byte a second must not starve ordinary callers: while they
 * are connected, creates and commands are answered promptly, and once the body (or header) deadline
 * passes every slow client has been cut off without having changed anything.
 */
class SlowClientsTest {

    static final String SCHEMA = TestDatabase.schema("slow");
    /** Short enough for a test; the defaults (10 s each) behave the same, only later. */
    static final Duration DEADLINE = Duration.ofSeconds(8);
    static final Duration PROMPT = Duration.ofSeconds(3);
    static Replica replica;

    @BeforeAll
    static void start() {
        replica = Replica.start("slow", SCHEMA, Map.of(
                "interlock.http.body-deadline", DEADLINE.toString(),
                "interlock.http.header-deadline", DEADLINE.toString()));
    }

    @AfterAll
    static void stop() {
        if (replica != null) {
            replica.close();
        }
    }

    @Test
    void ordinaryRequestsAreAnsweredWhile500SlowClientsAreConnectedAndTheSlowOnesAreCutOff() throws Exception {
        List<SlowClients.Request> requests = SlowClients.slowCreates(500);
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(PROMPT).build();
        List<String> created = new ArrayList<>();
        // the first request loads classes for seconds on a busy machine: that is not what is measured
        String warm = "ok-warm-" + UUID.randomUUID().toString().substring(0, 8);
        http.send(post("/v1/instances", "{\"id\":\"" + warm + "\",\"name\":\"ok\",\"flavor\":\"m1.small\"}")
                .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
        try (SlowClients slow = SlowClients.open(replica.port(), requests, Duration.ofSeconds(1))) {
            long start = System.nanoTime();
            // well inside the deadline: every slow client still holds its connection, and callers get through
            while (System.nanoTime() - start < DEADLINE.minusSeconds(2).toNanos()) {
                String id = "ok-" + UUID.randomUUID().toString().substring(0, 8);
                HttpResponse<String> create = answeredWithin(PROMPT, http, post("/v1/instances",
                        "{\"id\":\"" + id + "\",\"name\":\"ok\",\"flavor\":\"m1.small\"}").build());
                assertThat(create.statusCode()).as(create.body()).isEqualTo(201);
                created.add(id);
                HttpResponse<String> lock = answeredWithin(PROMPT, http,
                        post("/v1/instances/" + id + "/actions/lock", "{}").build());
                assertThat(lock.statusCode()).as(lock.body()).isLessThan(500);
                Thread.sleep(300);
            }
            assertThat(slow.connected()).as("slow clients still connected before the deadline").isEqualTo(500);

            slow.assertAllCutOffAfter(start, DEADLINE);
        }
        assertThat(EventStore.count(SCHEMA,
                "select count(*) from domain_event_entry where aggregate_identifier like 'slow-%'")).isZero();
        for (String id : created) {
            assertThat(EventStore.history(SCHEMA, id)).isNotEmpty();
        }
    }

    private static HttpRequest.Builder post(String path, String json) {
        return HttpRequest.newBuilder(URI.create(replica.url(path))).timeout(PROMPT)
                .header("Content-Type", "application/json")
                .header("Authorization", "Basic " + Base64.getEncoder()
                        .encodeToString("alice:alice-secret".getBytes(StandardCharsets.UTF_8)))
                .POST(HttpRequest.BodyPublishers.ofString(json));
    }
}
