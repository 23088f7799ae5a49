package io.interlock.query.web;

import io.interlock.command.support.Api;
import io.interlock.command.support.Instances;
import io.interlock.command.support.Replica;
import io.interlock.command.support.SlowClients;
import io.interlock.command.support.TestDatabase;
import io.interlock.query.support.QueryApp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static io.interlock.command.support.SlowClients.answeredWithin;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The query side, like the command side, holds no worker thread for a client that sends its
 * request a byte a second: while 500 of them are connected (bodies declared and chunked, headers,
 * with and without credentials) dashboard reads are answered promptly, and once the deadline
 * passes every slow client has been cut off. No endpoint here takes a body, yet one sent anyway
 * used to be drained by Tomcat with a blocking read on a worker thread.
 */
class QuerySlowClientsTest {

    static final String SCHEMA = TestDatabase.schema("query_slow");
    /** Short enough for a test; the defaults (10 s each) behave the same, only later. */
    static final Duration DEADLINE = Duration.ofSeconds(8);
    static final Duration PROMPT = Duration.ofSeconds(3);
    static Replica command;
    static QueryApp query;

    @BeforeAll
    static void start() {
        command = Replica.start("query-slow", SCHEMA, Map.of());
        query = QueryApp.start(SCHEMA, Map.of(
                "interlock.http.body-deadline", DEADLINE.toString(),
                "interlock.http.header-deadline", DEADLINE.toString()));
    }

    @AfterAll
    static void stop() {
        if (query != null) {
            query.close();
        }
        if (command != null) {
            command.close();
        }
    }

    @Test
    void readsAreAnsweredWhile500SlowClientsAreConnectedAndTheSlowOnesAreCutOff() throws Exception {
        String id = Instances.active(command, "alice");
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(PROMPT).build();
        // the instance is projected, and the first request's class loading is not what is measured
        long projectedBy = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (http.send(get("/v1/instances/" + id).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode() != 200) {
            assertThat(System.nanoTime()).as(id + " projected").isLessThan(projectedBy);
            Thread.sleep(200);
        }

        List<SlowClients.Request> requests = SlowClients.slowCreates(500);
        try (SlowClients slow = SlowClients.open(port(), requests, Duration.ofSeconds(1))) {
            long start = System.nanoTime();
            int reads = 0;
            // well inside the deadline: every slow client still holds its connection, and readers get through
            while (System.nanoTime() - start < DEADLINE.minusSeconds(2).toNanos()) {
                HttpResponse<String> one = answeredWithin(PROMPT, http, get("/v1/instances/" + id).build());
                assertThat(one.statusCode()).as(one.body()).isEqualTo(200);
                HttpResponse<String> list = answeredWithin(PROMPT, http, get("/v1/instances").build());
                assertThat(list.statusCode()).as(list.body()).isEqualTo(200);
                reads += 2;
                Thread.sleep(300);
            }
            assertThat(reads).isGreaterThan(4);
            assertThat(slow.connected()).as("slow clients still connected before the deadline").isEqualTo(500);

            slow.assertAllCutOffAfter(start, DEADLINE);
        }
        // and the query side is still itself afterwards
        assertThat(answeredWithin(PROMPT, http, get("/v1/instances/" + id).build()).statusCode())
                .isEqualTo(200);
    }

    private static int port() {
        return URI.create(query.url("/")).getPort();
    }

    private static HttpRequest.Builder get(String path) {
        return HttpRequest.newBuilder(URI.create(query.url(path))).timeout(PROMPT)
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        ("alice:" + Api.PASSWORDS.get("alice")).getBytes(StandardCharsets.UTF_8)))
                .GET();
    }
}
