package io.interlock.command.gateway;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.interlock.command.support.Api;
import io.interlock.command.support.Instances;
import io.interlock.command.support.Replica;
import io.interlock.command.support.TwoReplicas;
import io.interlock.edge.AccessLog;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One access-log line per request, once its answer is complete, naming the caller and the ids that
 * lead to the request's events; the traceparent's trace id is the one the events carry.
 */
class AccessLogTest {

    private final Logger access = (Logger) LoggerFactory.getLogger(AccessLog.LOGGER);
    private final ListAppender<ILoggingEvent> lines = new ListAppender<>();

    @BeforeEach
    void listen() {
        TwoReplicas.a();
        lines.start();
        access.addAppender(lines);
        access.setLevel(Level.INFO);
    }

    @AfterEach
    void stop() {
        access.detachAppender(lines);
        access.setLevel(null);
    }

    @Test
    void aRequestIsOneLineWithItsCallerOutcomeAndIds() throws Exception {
        String id = Instances.newId("log");
        String trace = "4bf92f3577b34da6a3ce929d0e0e4736";
        Api.Response created = Api.as("alice").header("X-Correlation-Id", "access-" + id)
                .header("traceparent", "00-" + trace + "-00f067aa0ba902b7-01")
                .post(TwoReplicas.a(), "/v1/instances", "{\"id\":\"" + id + "\",\"name\":\"n\",\"flavor\":\"f\"}");
        assertThat(created.status()).isEqualTo(201);
        Api.as("alice").password("wrong").post(TwoReplicas.a(), "/v1/instances/" + id + "/actions/stop", "{}");

        List<String> mine = await(2, "access-" + id, "/v1/instances/" + id + "/actions/stop");
        assertThat(mine.get(0)).startsWith("POST /v1/instances 201 ")
                .contains("principal=alice", "correlationId=access-" + id, "traceId=" + trace, "client=127.0.0.1");
        assertThat(mine.get(1)).startsWith("POST /v1/instances/" + id + "/actions/stop 401 ").contains("principal=-");
    }

    /** A body that arrives after its headers is read without a thread; the line waits for the answer. */
    @Test
    void aBodyReadWithoutAThreadIsLoggedWithItsFinalStatus() throws Exception {
        Replica a = TwoReplicas.a();
        String id = Instances.newId("slow");
        byte[] body = ("{\"id\":\"" + id + "\",\"name\":\"n\",\"flavor\":\"f\"}").getBytes(StandardCharsets.UTF_8);
        try (Socket socket = new Socket("127.0.0.1", a.port())) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST /v1/instances HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nConnection: close\r\n"
                    + "X-Correlation-Id: slow-" + id + "\r\nAuthorization: Basic " + Base64.getEncoder()
                    .encodeToString("alice:alice-secret".getBytes(StandardCharsets.UTF_8)) + "\r\nContent-Length: "
                    + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            Thread.sleep(300);
            out.write(body);
            out.flush();
            InputStream in = socket.getInputStream();
            String answer = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            assertThat(answer).startsWith("HTTP/1.1 201");
        }
        assertThat(await(1, "slow-" + id).get(0)).startsWith("POST /v1/instances 201 ").contains("principal=alice");
    }

    /** The lines that name any of {@code marks}, once there are {@code count} of them. */
    private List<String> await(int count, String... marks) throws InterruptedException {
        Instant giveUp = Instant.now().plus(Duration.ofSeconds(10));
        List<String> mine;
        do {
            Thread.sleep(50);
            mine = List.copyOf(lines.list).stream().map(ILoggingEvent::getFormattedMessage)
                    .filter(line -> List.of(marks).stream().anyMatch(line::contains)).toList();
        } while (mine.size() < count && Instant.now().isBefore(giveUp));
        assertThat(mine).hasSize(count);
        return mine;
    }
}
