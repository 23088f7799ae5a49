package io.interlock.query.instance;

import io.interlock.command.support.Api;
import io.interlock.command.support.Instances;
import io.interlock.command.support.Replacements;
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
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The SSE stream delivers a committed change to a subscribed dashboard, within its tenant; a
 * resource without a tenant (volumes, replacement requests) reaches every reader.
 */
class StreamTest {

    @Test
    void aSubscriberReceivesTheChangeACommandCaused() throws Exception {
        String id = Instances.active(Stack.command(), "alice");
        BlockingQueue<String> alices = subscribe("alice");
        BlockingQueue<String> bobs = subscribe("bob");

        Api.Response stopping = Api.as("alice").post(Stack.command(), "/v1/instances/" + id + "/actions/stop", "{}");
        assertThat(stopping.status()).isEqualTo(202);

        String change = awaitLineContaining(alices, "\"version\":" + stopping.field("version"), id,
                Duration.ofSeconds(15));
        assertThat(change).startsWith("data:").contains("POWERING_OFF").contains("\"tenant\":\"acme\"");
        assertThat(bobs.stream().filter(line -> line.contains(id))).isEmpty();
    }

    @Test
    void aVolumeChangeHasNoTenantAndReachesEveryMember() throws Exception {
        BlockingQueue<String> alices = subscribe("alice");
        BlockingQueue<String> bobs = subscribe("bob");

        String volume = Replacements.volume(Stack.command());

        for (BlockingQueue<String> member : List.of(alices, bobs)) {
            String change = awaitLineContaining(member, "\"type\":\"volumes\"", volume, Duration.ofSeconds(15));
            assertThat(change).contains("\"deletionStatus\":\"ACTIVE\"").contains("\"tenant\":null");
        }
    }

    /**
     * Twelve changes of one instance projected in one batch (the processor is held while they are
     * made) reach a subscriber in version order: Axon runs after-commit callbacks last first, so
     * publishing each change from its own callback sent them backwards.
     */
    @Test
    void oneResourcesChangesArriveInVersionOrder() throws Exception {
        BlockingQueue<String> alices = subscribe("alice");
        StreamingEventProcessor processor = Stack.query().bean(EventProcessingConfiguration.class)
                .eventProcessor(ProjectionProcessor.NAME, StreamingEventProcessor.class).orElseThrow();
        processor.shutDown();
        String id;
        try {
            id = Instances.newId("vm");
            Api.Response created = Api.as("alice").post(Stack.command(), "/v1/instances",
                    "{\"id\":\"" + id + "\",\"name\":\"ordered\",\"flavor\":\"m1.small\"}");
            assertThat(created.status()).as(created.text()).isEqualTo(201);
            Api.Response spawned = Api.as("agent").post(Stack.command(),
                    "/v1/instances/acme:" + id + "/tasks/" + created.field("taskId") + "/complete");
            assertThat(spawned.status()).as(spawned.text()).isEqualTo(200);
            for (int i = 0; i < 10; i++) {
                Api.Response locking = Api.as("alice").post(Stack.command(),
                        "/v1/instances/" + id + "/actions/" + (i % 2 == 0 ? "lock" : "unlock"), "{}");
                assertThat(locking.status()).as(locking.text()).isEqualTo(200);
            }
        } finally {
            processor.start();
        }
        List<Long> versions = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            String change = awaitLineContaining(alices, "\"id\":\"" + id + "\"", "data:", Duration.ofSeconds(30));
            versions.add(Long.parseLong(change.replaceAll(".*\"version\":(\\d+).*", "$1")));
        }
        assertThat(versions).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L, 11L);
    }

    private static BlockingQueue<String> subscribe(String user) throws Exception {
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        HttpRequest request = HttpRequest.newBuilder(URI.create(Stack.query().url("/v1/stream")))
                .header("Accept", "text/event-stream")
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        (user + ":" + Api.PASSWORDS.get(user)).getBytes(StandardCharsets.UTF_8)))
                .build();
        CompletableFuture<HttpResponse<Stream<String>>> response = HttpClient.newHttpClient()
                .sendAsync(request, HttpResponse.BodyHandlers.ofLines());
        HttpResponse<Stream<String>> open = response.get(10, TimeUnit.SECONDS);
        assertThat(open.statusCode()).isEqualTo(200);
        Thread reader = new Thread(() -> open.body().forEach(lines::add));
        reader.setDaemon(true);
        reader.start();
        awaitLineContaining(lines, "subscribed", "data:", Duration.ofSeconds(10));
        return lines;
    }

    private static String awaitLineContaining(BlockingQueue<String> lines, String text, String andText,
                                              Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline) {
            String line = lines.poll(100, TimeUnit.MILLISECONDS);
            if (line != null && line.contains(text) && line.contains(andText)) {
                return line;
            }
        }
        throw new AssertionError("No event line containing " + text + " and " + andText + " within " + within);
    }
}
