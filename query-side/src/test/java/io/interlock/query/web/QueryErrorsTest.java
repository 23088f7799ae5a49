package io.interlock.query.web;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.interlock.command.support.Api;
import io.interlock.command.support.Instances;
import io.interlock.query.support.Stack;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

import static io.interlock.command.support.ProblemAssertions.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The query side does not mislead: the right status for a wrong method or an unknown path, one
 * problem vocabulary with a correlation id for every error (Tomcat's and Spring Security's own
 * included), and no warnings or stack traces for what clients do.
 */
class QueryErrorsTest {

    private static final List<String> ROLES = List.of("admin", "auditor", "agent", "alice");

    @Test
    void aWriteToAReadEndpointIsMethodNotAllowed() {
        for (String path : List.of("/v1/instances", "/v1/instances/x", "/v1/stats", "/v1/admin/projections")) {
            Api.Response post = Api.as("admin").post(Stack.query(), path, "{}");
            assertProblem(post, 405, "method-not-allowed");
            assertThat(post.header("allow")).contains("GET");
            assertProblem(Api.as("admin").delete(Stack.query(), path), 405, "method-not-allowed");
        }
        assertProblem(Api.as("alice").delete(Stack.query(), "/v1/instances/x"), 405, "method-not-allowed");
        // still: no credentials, no answer about the endpoint; not an admin, no answer about admin endpoints
        assertProblem(Api.as("alice").delete(Stack.query(), "/v1/admin/projections"), 403, "forbidden");
        assertProblem(Api.anonymous().post(Stack.query(), "/v1/instances", "{}"), 401, "unauthenticated");
    }

    @Test
    void anUnknownPathIsNotFoundForEveryRole() {
        for (String role : ROLES) {
            for (String path : List.of("/actuator/info", "/v1/nothing", "/v2/instances", "/error")) {
                assertProblem(Api.as(role).get(Stack.query(), path), 404, "not-found");
            }
        }
    }

    @Test
    void everyProblemCarriesTheCorrelationIdTheResponseNames() {
        List<Api.Response> answers = List.of(
                Api.as("alice").get(Stack.query(), "/v1/instances/missing"),
                Api.as("alice").get(Stack.query(), "/v1/instances?colour=red"),
                Api.anonymous().get(Stack.query(), "/v1/instances"),
                Api.as("alice").get(Stack.query(), "/v1/admin/projections"),
                Api.as("alice").get(Stack.query(), "//v1/instances"));
        for (Api.Response answer : answers) {
            assertThat(answer.header("content-type")).as(answer.toString()).startsWith("application/problem+json");
            assertThat(answer.header("x-correlation-id")).as(answer.toString()).isNotBlank();
            assertThat(answer.field("correlationId")).isEqualTo(answer.header("x-correlation-id"));
        }
        Api.Response given = Api.as("alice").header("X-Correlation-Id", "dash-42").get(Stack.query(), "/v1/instances/nope");
        assertThat(given.header("x-correlation-id")).isEqualTo("dash-42");
        assertThat(given.field("correlationId")).isEqualTo("dash-42");
        Api.Response unsafe = Api.as("alice").header("X-Correlation-Id", "<script>").get(Stack.query(), "/v1/stats");
        assertThat(unsafe.status()).isEqualTo(200);
        assertThat(unsafe.header("x-correlation-id")).isNotBlank().doesNotContain("<");
    }

    @Test
    void firewallAndTomcatRefusalsAreProblemsToo() throws Exception {
        for (String path : List.of("//v1/instances", "/v1/%2e%2e/instances", "/v1/instances/%2e", "/v1/a%2fb",
                "/v1/instances/a;b=c")) {
            Api.Response answer = Api.as("alice").get(Stack.query(), path);
            assertThat(answer.status()).as(path + " " + answer.text()).isBetween(400, 499);
            assertThat(answer.header("content-type")).as(path).startsWith("application/problem+json");
            assertThat(answer.field("type")).as(path).startsWith("https://interlock.dev/problems/");
        }
        String auth = "Authorization: Basic " + Base64.getEncoder()
                .encodeToString("alice:alice-secret".getBytes(StandardCharsets.UTF_8)) + "\r\n";
        List<String> raw = List.of(
                "GET /v1/inst|ances HTTP/1.1\r\nHost: x\r\n" + auth + "Connection: close\r\n\r\n",
                "GET /v1/instances?x=%zz HTTP/1.1\r\nHost: x\r\n" + auth + "Connection: close\r\n\r\n",
                "GET /v1/instances HTTP/1.1\r\nHost: x\r\n" + auth + "X-Big: " + "b".repeat(20_000)
                        + "\r\nConnection: close\r\n\r\n");
        for (String request : raw) {
            String answer = send(request);
            assertThat(answer).as(request.substring(0, 40)).startsWith("HTTP/1.1 4");
            assertThat(answer.toLowerCase()).as(answer).contains("content-type: application/problem+json");
            assertThat(answer).contains("\"type\":\"https://interlock.dev/problems/").doesNotContain("<html");
        }
    }

    @Test
    void clientsGoingAwayAndRefusalsLogNoWarning() throws Exception {
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        logs.start();
        root.addAppender(logs);
        try {
            for (int i = 0; i < 3; i++) {
                URI stream = URI.create(Stack.query().url("/v1/stream"));
                try (Socket socket = new Socket(stream.getHost(), stream.getPort())) {
                    socket.getOutputStream().write(("GET /v1/stream HTTP/1.1\r\nHost: x\r\nAccept: text/event-stream\r\n"
                            + "Authorization: Basic " + Base64.getEncoder().encodeToString(
                            "alice:alice-secret".getBytes(StandardCharsets.UTF_8)) + "\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
                    socket.getOutputStream().flush();
                    byte[] head = new byte[512];
                    assertThat(socket.getInputStream().read(head)).isPositive();
                }
            }
            // changes to write to the streams whose clients have gone
            for (int i = 0; i < 3; i++) {
                Instances.active(Stack.command(), "alice");
            }
            Api.as("alice").get(Stack.query(), "/v1/instances/missing");
            Api.as("alice").get(Stack.query(), "/v1/nothing");
            Api.as("alice").get(Stack.query(), "/v1/instances?colour=red");
            Api.as("alice").post(Stack.query(), "/v1/instances", "{}");
            Thread.sleep(3000);
        } finally {
            root.detachAppender(logs);
        }
        List<String> loud = logs.list.stream()
                .filter(e -> e.getLevel().isGreaterOrEqual(Level.WARN))
                .filter(e -> !e.getLoggerName().startsWith("io.interlock.command"))
                .filter(e -> !e.getThreadName().contains("command-side"))
                .map(e -> e.getLevel() + " " + e.getLoggerName() + ": " + e.getFormattedMessage())
                .toList();
        assertThat(loud).isEmpty();
    }

    private static String send(String request) throws Exception {
        URI base = URI.create(Stack.query().url("/"));
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            byte[] buffer = new byte[4096];
            try {
                for (int n; (n = in.read(buffer)) > 0; ) {
                    answer.write(buffer, 0, n);
                }
            } catch (java.net.SocketException reset) {
                // Tomcat may close a connection it refused before we read it all
            }
            return answer.toString(StandardCharsets.ISO_8859_1);
        }
    }
}
