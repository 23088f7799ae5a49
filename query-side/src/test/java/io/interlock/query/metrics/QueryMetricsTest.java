package io.interlock.query.metrics;

import io.interlock.command.support.Api;
import io.interlock.command.support.Instances;
import io.interlock.command.support.Scrape;
import io.interlock.query.store.ProjectionProcessor;
import io.interlock.query.support.Stack;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.function.Predicate;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Scrapes the query side around real commands and finds its figures moved: lag, position, subscribers. */
class QueryMetricsTest {

    private static final String PROJECTION = "instance-projection";

    @Test
    void aHeldProjectionShowsItsLagAndCatchesUp() throws Exception {
        StreamingEventProcessor processor = Stack.query().bean(EventProcessingConfiguration.class)
                .eventProcessor(ProjectionProcessor.NAME, StreamingEventProcessor.class).orElseThrow();
        double before = Scrape.of(Stack.query(), "admin").sum("interlock_projection_position", "projection", PROJECTION);
        processor.shutDown();
        try {
            Api.Response created = Api.as("alice").post(Stack.command(), "/v1/instances",
                    "{\"id\":\"" + Instances.newId("lag") + "\",\"name\":\"lag\",\"flavor\":\"m1.small\"}");
            assertThat(created.status()).isEqualTo(201);
            Scrape behind = scrapeUntil(s -> s.sum("interlock_projection_lag_events", "projection", PROJECTION) >= 1
                    && s.sum("interlock_projection_lag_seconds", "projection", PROJECTION) > 0);
            assertThat(behind.sum("interlock_projection_replay_progress", "projection", PROJECTION)).isLessThanOrEqualTo(100);
        } finally {
            processor.start();
        }
        Scrape caughtUp = scrapeUntil(s -> s.sum("interlock_projection_lag_events", "projection", PROJECTION) == 0);
        assertThat(caughtUp.sum("interlock_projection_position", "projection", PROJECTION)).isGreaterThan(before);
        assertThat(caughtUp.sum("interlock_projection_lag_seconds", "projection", PROJECTION)).isZero();
        assertThat(caughtUp.sum("interlock_projection_rebuilding", "projection", PROJECTION)).isZero();
        assertThat(caughtUp.matching("interlock_projection_failed")).hasSizeGreaterThanOrEqualTo(6);
        // the processor's latency, the pool and the HTTP server
        assertThat(caughtUp.matching("interlock_processor_latency_seconds", "processor", "projections")).hasSize(1);
        assertThat(caughtUp.has("hikaricp_connections_active")).isTrue();
        assertThat(caughtUp.has("http_server_requests_seconds_bucket")).isTrue();
    }

    @Test
    void anOpenStreamIsASubscriber() throws Exception {
        double before = Scrape.of(Stack.query(), "agent").sum("interlock_stream_subscribers");
        HttpRequest request = HttpRequest.newBuilder(URI.create(Stack.query().url("/v1/stream")))
                .header("Accept", "text/event-stream")
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        "bob:bob-secret".getBytes(StandardCharsets.UTF_8)))
                .build();
        HttpResponse<Stream<String>> open = HttpClient.newHttpClient()
                .send(request, HttpResponse.BodyHandlers.ofLines());
        try {
            assertThat(open.statusCode()).isEqualTo(200);
            scrapeUntil(s -> s.sum("interlock_stream_subscribers") >= before + 1);
        } finally {
            open.body().close();
        }
    }

    @Test
    void onlyTheAgentAdminAndMetricsRolesMayScrape() {
        assertThat(Api.anonymous().get(Stack.query(), "/actuator/prometheus").status()).isEqualTo(401);
        assertThat(Api.as("alice").get(Stack.query(), "/actuator/prometheus").status()).isEqualTo(403);
        assertThat(Api.as("auditor").get(Stack.query(), "/actuator/prometheus").status()).isEqualTo(403);
        Api.Request scraper = Api.as("prometheus").password("prometheus-secret");
        assertThat(scraper.get(Stack.query(), "/actuator/prometheus").status()).isEqualTo(200);
        // a scrape account reads no read model: it would see every tenant's
        assertThat(scraper.get(Stack.query(), "/v1/stats").status()).isEqualTo(403);
        assertThat(scraper.get(Stack.query(), "/v1/instances").status()).isEqualTo(403);
    }

    private static Scrape scrapeUntil(Predicate<Scrape> condition) throws InterruptedException {
        Instant giveUp = Instant.now().plus(Duration.ofSeconds(20));
        Scrape last = Scrape.of(Stack.query(), "admin");
        while (!condition.test(last)) {
            assertThat(Instant.now()).as(last.text()).isBefore(giveUp);
            Thread.sleep(200);
            last = Scrape.of(Stack.query(), "admin");
        }
        return last;
    }
}
