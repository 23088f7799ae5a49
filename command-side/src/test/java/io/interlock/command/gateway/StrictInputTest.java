package io.interlock.command.gateway;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.interlock.command.support.Api;
import io.interlock.command.support.EventStore;
import io.interlock.command.support.Instances;
import io.interlock.command.support.Replacements;
import io.interlock.command.support.Shares;
import io.interlock.command.support.Storage;
import io.interlock.command.support.TwoReplicaTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static io.interlock.command.support.ProblemAssertions.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Input is taken exactly as written or refused at the door with a problem that names what is
 * wrong (README, API): unknown and mistyped fields, a bad or misplaced If-Match, text the stores
 * cannot hold, and requests the web server itself refuses. Every refused request changes nothing.
 */
class StrictInputTest extends TwoReplicaTest {

    private static final String J = "application/json";

    private static void assertField(Api.Response response, String field) {
        assertProblem(response, 400, "validation");
        assertThat(response.json().get("errors").findValuesAsString("field")).as(response.text()).contains(field);
        assertThat(response.field("correlationId")).isNotBlank();
    }

    private static String createInstance(String id) {
        return "{\"id\":\"" + id + "\",\"name\":\"n\",\"flavor\":\"m1\"}";
    }

    // --- strict JSON

    @Test
    void aMisspelledFieldIsRefusedNotAGentlerReboot() {
        String id = Instances.active(a, "alice");
        int before = EventStore.history(SCHEMA, id).size();

        Api.Response response = Api.as("alice").post(a, "/v1/instances/" + id + "/actions/reboot",
                "{\"tpye\":\"HARD\"}");

        assertField(response, "tpye");
        assertThat(EventStore.history(SCHEMA, id)).hasSize(before);
    }

    @Test
    void aFieldOfAnotherActionIsRefused() {
        String id = Instances.active(a, "alice");
        int before = EventStore.history(SCHEMA, id).size();

        assertField(Api.as("alice").post(a, "/v1/instances/" + id + "/actions/stop", "{\"flavor\":\"m2\"}"), "flavor");
        assertThat(EventStore.history(SCHEMA, id)).hasSize(before);
    }

    @Test
    void aReplacementTransitionRefusesTheFieldsOfFinishAllocation() {
        String id = Replacements.requested(a);
        int before = EventStore.history(SCHEMA, id).size();

        assertField(Api.as("agent").post(a, "/v1/replacements/" + id + "/transitions/begin-allocation",
                "{\"sagaId\":\"s-1\",\"newRegionId\":\"region-9\"}"), "newRegionId");
        assertThat(EventStore.history(SCHEMA, id)).hasSize(before);
    }

    @Test
    void anEndpointWithoutABodyRefusesOneWithFields() {
        String id = Instances.active(a, "alice");
        int before = EventStore.history(SCHEMA, id).size();

        assertField(Api.as("alice").send(a, "DELETE", "/v1/instances/" + id, "{\"force\":true}", J), "force");
        assertField(Api.as("alice").send(a, "POST", "/v1/instances/" + id + "/actions/lock", "[1]", J), "body");
        assertThat(EventStore.history(SCHEMA, id)).hasSize(before);
        // an empty object says nothing, and is accepted
        assertThat(Api.as("alice").send(a, "DELETE", "/v1/instances/" + id, "{}", J).status()).isEqualTo(202);
    }

    @Test
    void aKeyGivenTwiceIsRefused() {
        String id = Instances.newId("dup");

        Api.Response response = Api.as("alice").post(a, "/v1/instances",
                "{\"id\":\"" + id + "\",\"name\":\"a\",\"name\":\"b\",\"flavor\":\"m1\"}");

        assertField(response, "name");
        assertThat(response.text()).contains("duplicate");
        assertThat(EventStore.history(SCHEMA, id)).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "/v1/instances|{\"id\":123,\"name\":\"n\",\"flavor\":\"m1\"}|id",
            "/v1/instances|{\"id\":true,\"name\":\"n\",\"flavor\":\"m1\"}|id",
            "/v1/instances|{\"name\":[\"n\"],\"flavor\":\"m1\"}|name",
            "/v1/shares|{\"size\":\"7\",\"protocol\":\"NFS\"}|size",
            "/v1/shares|{\"size\":7.9,\"protocol\":\"NFS\"}|size",
            "/v1/shares|{\"size\":7.0,\"protocol\":\"NFS\"}|size",
            "/v1/nodes|{\"nodeId\":\"n-typed\",\"maxSubsystems\":\"2\"}|maxSubsystems",
            "/v1/nodes|{\"nodeId\":\"n-typed\",\"maxSubsystems\":true}|maxSubsystems"
    })
    void aValueOfAnotherJsonTypeIsRefused(String path, String body, String field) {
        assertField(Api.as("alice").post(a, path, body), field);
        assertThat(EventStore.history(SCHEMA, "123")).isEmpty();
        assertThat(EventStore.history(SCHEMA, "true")).isEmpty();
        assertThat(EventStore.history(SCHEMA, "n-typed")).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "reboot|{\"type\":1}|type",
            "shelve|{\"offload\":\"true\"}|offload",
            "shelve|{\"offload\":1}|offload",
            "resize|{\"flavor\":7}|flavor"
    })
    void anActionParameterOfAnotherJsonTypeIsRefused(String action, String body, String field) {
        String id = Instances.active(a, "alice");
        int before = EventStore.history(SCHEMA, id).size();

        assertField(Api.as("alice").post(a, "/v1/instances/" + id + "/actions/" + action, body), field);
        assertThat(EventStore.history(SCHEMA, id)).hasSize(before);
    }

    @Test
    void aVolumeDeleteNeedsARealBoolean() {
        String volume = Instances.newId("vol");
        assertThat(Api.as("alice").post(a, "/v1/volumes", "{\"volumeId\":\"" + volume + "\"}").status()).isEqualTo(201);

        assertField(Api.as("alice").post(a, "/v1/volumes/" + volume + "/delete", "{\"hard\":\"false\"}"), "hard");
        assertThat(EventStore.history(SCHEMA, volume)).hasSize(1);
    }

    // --- If-Match

    @Test
    void aMalformedIfMatchIsRefusedEverywhere() {
        String id = Instances.newId("vm");

        assertField(Api.as("alice").header("If-Match", "three").post(a, "/v1/instances", createInstance(id)),
                "If-Match");
        assertThat(EventStore.history(SCHEMA, id)).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "alice|/v1/instances|{\"id\":\"@ID\",\"name\":\"n\",\"flavor\":\"m1\"}|\"0\"",
            "alice|/v1/instances|{\"id\":\"@ID\",\"name\":\"n\",\"flavor\":\"m1\"}|*",
            "alice|/v1/shares|{\"id\":\"@ID\",\"size\":1,\"protocol\":\"NFS\"}|\"0\"",
            "alice|/v1/nodes|{\"nodeId\":\"@ID\"}|\"0\"",
            "alice|/v1/volumes|{\"volumeId\":\"@ID\"}|\"0\"",
            "alice|/v1/replacements|{\"id\":\"@ID\",\"regionSnapshotId\":\"rs\",\"snapshotVolumeId\":\"none\"}|\"0\""
    })
    void anIfMatchOnACreateFailsBecauseNothingExistsToMatch(String user, String path, String body, String ifMatch) {
        String id = Instances.newId("new");

        Api.Response response = Api.as(user).header("If-Match", ifMatch).post(a, path, body.replace("@ID", id));

        assertProblem(response, 412, "version-mismatch");
        assertThat(EventStore.history(SCHEMA, id)).isEmpty();
    }

    @Test
    void anIfMatchOnASubsystemCreateFails() {
        String node = Storage.node(a, "alice", 2);
        String nqn = Storage.newNqn(node);

        Api.Response response = Api.as("alice").header("If-Match", "\"0\"").post(a, "/v1/subsystems",
                "{\"nqn\":\"" + nqn + "\",\"nodeId\":\"" + node + "\"}");

        assertProblem(response, 412, "version-mismatch");
        assertThat(EventStore.history(SCHEMA, nqn)).isEmpty();
        assertThat(EventStore.history(SCHEMA, node)).hasSize(1);
    }

    @Test
    void aPlacementUnderAStaleIfMatchOfItsNodeIsRefused() {
        String node = Storage.node(a, "alice", 4);
        Storage.subsystem(a, "alice", node, 8);
        int before = EventStore.history(SCHEMA, node).size();
        assertThat(before).isEqualTo(2);

        Api.Response stale = Api.as("alice").header("If-Match", "\"0\"").post(a, "/v1/nodes/" + node + "/placements",
                "{\"lvolId\":\"lv-1\",\"namespaced\":true}");

        assertProblem(stale, 412, "version-mismatch");
        assertThat(EventStore.count(SCHEMA, "select count(*) from storage_namespace_lvol where node_id = ?", node))
                .isZero();
        Api.Response current = Api.as("alice").header("If-Match", "\"1\"").post(a, "/v1/nodes/" + node + "/placements",
                "{\"lvolId\":\"lv-1\",\"namespaced\":true}");
        assertThat(current.status()).as(current.text()).isEqualTo(201);
    }

    @Test
    void anAccessRuleSyncAndItsResultCheckIfMatchAgainstTheShare() {
        String id = Shares.available(a, "alice");
        Api.Response allowed = Api.as("alice").post(a, "/v1/shares/" + id + "/access-rules",
                "{\"accessType\":\"IP\",\"accessTo\":\"10.1.1.9\",\"level\":\"RO\"}");
        assertThat(allowed.status()).as(allowed.text()).isEqualTo(202);
        String ruleId = allowed.json().get("accessRules").get(0).get("id").asString();
        long version = Long.parseLong(allowed.field("version"));
        int before = EventStore.history(SCHEMA, id).size();

        assertProblem(Api.as("agent").header("If-Match", "\"" + (version - 1) + "\"")
                .post(a, "/v1/shares/acme:" + id + "/access-rules/sync"), 412, "version-mismatch");
        assertThat(EventStore.history(SCHEMA, id)).hasSize(before);

        Api.Response batch = Api.as("agent").header("If-Match", "\"" + version + "\"")
                .post(a, "/v1/shares/acme:" + id + "/access-rules/sync");
        assertThat(batch.status()).as(batch.text()).isEqualTo(200);
        String result = "/v1/shares/acme:" + id + "/access-rules/sync/" + batch.field("syncId") + "/result";
        String outcome = "{\"results\":{\"" + ruleId + "\":\"OK\"}}";
        int started = EventStore.history(SCHEMA, id).size();

        assertProblem(Api.as("agent").header("If-Match", "\"" + version + "\"").post(a, result, outcome), 412,
                "version-mismatch");
        assertThat(EventStore.history(SCHEMA, id)).hasSize(started);
        assertThat(Api.as("agent").header("If-Match", batch.header("etag")).post(a, result, outcome).status())
                .isEqualTo(200);
    }

    @Test
    void aStepAddedUnderAStaleIfMatchIsRefusedBeforeItTakesTheVolumesLock() {
        String id = Replacements.requested(a);
        Replacements.running(a, id, "saga-if-match");
        String volume = Replacements.volume(a);
        long version = Long.parseLong(Api.as("agent").post(a, "/v1/replacements/" + id + "/target-deleted")
                .field("version"));
        int requestBefore = EventStore.history(SCHEMA, id).size();
        int volumeBefore = EventStore.history(SCHEMA, volume).size();

        assertProblem(Api.as("agent").header("If-Match", "\"" + (version - 1) + "\"").post(a,
                "/v1/replacements/" + id + "/steps", "{\"volumeId\":\"" + volume + "\"}"), 412, "version-mismatch");

        assertThat(EventStore.history(SCHEMA, id)).hasSize(requestBefore);
        assertThat(EventStore.history(SCHEMA, volume)).hasSize(volumeBefore);
        Api.Response current = Api.as("agent").header("If-Match", "\"" + version + "\"").post(a,
                "/v1/replacements/" + id + "/steps", "{\"volumeId\":\"" + volume + "\"}");
        assertThat(current.status()).as(current.text()).isEqualTo(201);
    }

    /** Jackson would trim an enum's name before looking it up, and so let a NUL through. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"accessType\":\"IP\",\"accessTo\":\"10.1.1.7\",\"level\":\"RW\\u0000\"}|level",
            "{\"accessType\":\" IP\",\"accessTo\":\"10.1.1.7\",\"level\":\"RW\"}|accessType",
            "{\"accessType\":\"IP\",\"accessTo\":\"10.1.1.7\",\"level\":\"RO\\t\"}|level"
    })
    void anEnumIsReadOnlyFromItsExactName(String body, String field) {
        String id = Shares.available(a, "alice");
        int before = EventStore.history(SCHEMA, id).size();

        assertField(Api.as("alice").post(a, "/v1/shares/" + id + "/access-rules", body), field);
        assertThat(EventStore.history(SCHEMA, id)).hasSize(before);
    }

    // --- text the stores can hold

    @Test
    void anExportPathWithNulIsRefusedNotA500() {
        String id = Instances.newId("sh");

        Api.Response response = Api.as("alice").post(a, "/v1/shares",
                "{\"id\":\"" + id + "\",\"manage\":{\"exportPath\":\"/e\\u0000x\"}}");

        assertField(response, "manage.exportPath");
        assertThat(EventStore.history(SCHEMA, id)).isEmpty();
    }

    @Test
    void anNqnLongerThanItsColumnIsRefusedNotA500() {
        String node = Storage.node(a, "alice", 2);
        String nqn = "nqn.2026-01." + "d".repeat(300) + ":x";

        Api.Response response = Api.as("alice").post(a, "/v1/subsystems",
                "{\"nqn\":\"" + nqn + "\",\"nodeId\":\"" + node + "\"}");

        assertField(response, "nqn");
        assertThat(EventStore.history(SCHEMA, node)).hasSize(1);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"name\":\"a\\u0000b\",\"flavor\":\"m1\"}|name",
            "{\"name\":\"a\\u0007b\",\"flavor\":\"m1\"}|name",
            "{\"name\":\"line\\nbreak\",\"flavor\":\"m1\"}|name",
            "{\"name\":\"lone \\ud800 surrogate\",\"flavor\":\"m1\"}|name",
            "{\"name\":\"n\",\"flavor\":\"@LONG\"}|flavor"
    })
    void textTheStoresCannotHoldIsRefused(String body, String field) {
        long before = EventStore.count(SCHEMA, "select count(*) from domain_event_entry where payload_type like ?",
                "%InstanceCreated");

        assertField(Api.as("alice").post(a, "/v1/instances", body.replace("@LONG", "f".repeat(256))), field);
        assertThat(EventStore.count(SCHEMA, "select count(*) from domain_event_entry where payload_type like ?",
                "%InstanceCreated")).isEqualTo(before);
    }

    @Test
    void aTaskReasonMayHaveLineBreaksButNoNul() {
        String id = Instances.active(a, "alice");
        String task = Api.as("alice").post(a, "/v1/instances/" + id + "/actions/stop", "{}").field("taskId");
        int before = EventStore.history(SCHEMA, id).size();

        assertField(Api.as("agent").post(a, "/v1/instances/acme:" + id + "/tasks/" + task + "/fail",
                "{\"reason\":\"disk\\u0000\"}"), "reason");
        assertThat(EventStore.history(SCHEMA, id)).hasSize(before);
        assertThat(Api.as("agent").post(a, "/v1/instances/acme:" + id + "/tasks/" + task + "/fail",
                "{\"reason\":\"disk\\nfull\"}").status()).isEqualTo(200);
    }

    @Test
    void aPathVariableLongerThanAnyIdIsRefused() {
        assertField(Api.as("alice").post(a, "/v1/instances/" + "a".repeat(300) + "/actions/stop", "{}"), "id");
        assertField(Api.as("alice").post(a, "/v1/instances/a%01b/actions/stop", "{}"), "id");
    }

    // --- every error is a problem

    @Test
    void requestsTomcatRefusesAreProblemsToo() throws IOException {
        for (String target : List.of("/v1/instances/%/actions/stop", "/v1/instances/%FF/actions/stop",
                "/v1/instances/a%00b/actions/stop", "/v1/instances/a%5Cb", "/v1/instances/a%2Fb/actions/stop")) {
            Raw raw = raw("POST " + target + " HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
            assertRawProblem(raw, 400, target);
        }
        Raw oversized = raw("GET /v1/instances HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(20_000)
                + "\r\nConnection: close\r\n\r\n");
        assertThat(oversized.status).as(oversized.text).isBetween(400, 431);
        assertThat(oversized.contentType).startsWith("application/problem+json");
        assertThat(json(oversized).get("correlationId").asString()).isNotBlank();
    }

    @Test
    void aBodyWithBrokenChunkFramingIsAValidationProblem() throws IOException {
        String auth = java.util.Base64.getEncoder().encodeToString("alice:alice-secret".getBytes(StandardCharsets.UTF_8));
        long head = EventStore.head(SCHEMA);

        Logger root = (Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);
        ListAppender<ILoggingEvent> captured = new ListAppender<>();
        captured.start();
        root.addAppender(captured);
        Raw raw;
        try {
            raw = raw("POST /v1/instances HTTP/1.1\r\nHost: x\r\nAuthorization: Basic " + auth
                    + "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
                    + "zz\r\n{}\r\n0\r\n\r\n");
        } finally {
            root.detachAppender(captured);
        }

        assertRawProblem(raw, 400, "broken chunk size");
        assertThat(EventStore.head(SCHEMA)).isEqualTo(head);
        // a client's broken framing is its mistake, not a failure of ours
        assertThat(captured.list).filteredOn(e -> e.getLevel().isGreaterOrEqual(Level.ERROR))
                .extracting(ILoggingEvent::getFormattedMessage).isEmpty();
    }

    @Test
    void firewallRefusalsAreValidationProblems() {
        for (String path : List.of("//v1/instances", "/v1/instances/%2e%2e/x", "/v1/instances;x=1")) {
            Api.Response response = Api.as("alice").post(a, path, createInstance(Instances.newId("fw")));
            assertField(response, "path");
        }
    }

    @Test
    void unknownPathsAndMethodsAreProblems() {
        assertProblem(Api.as("alice").get(a, "/nope"), 404, "not-found");
        assertProblem(Api.as("alice").get(a, "/v1/nope"), 404, "not-found");
        assertProblem(Api.as("alice").send(a, "PUT", "/v1/instances", "{}", J), 405, "method-not-allowed");
        assertProblem(Api.as("alice").get(a, "/error"), 404, "not-found");
        assertThat(Api.as("alice").get(a, "/nope").field("correlationId")).isNotBlank();
        Api.Response trace = Api.as("alice").send(a, "TRACE", "/v1/instances", null, null);
        assertProblem(trace, 405, "method-not-allowed");
        assertThat(trace.field("correlationId")).isNotBlank();
    }

    // --- idempotency keys of refused requests

    @Test
    void aRequestRefusedBeforeItRanDoesNotConsumeItsKey() {
        String key = "key-" + java.util.UUID.randomUUID();
        String id = Instances.newId("idem");
        String body = createInstance(id);

        Api.Response wrongType = Api.as("alice").header("Idempotency-Key", key)
                .send(a, "POST", "/v1/instances", body, "text/plain");
        assertProblem(wrongType, 415, "unsupported-media-type");
        Api.Response malformed = Api.as("alice").header("Idempotency-Key", key)
                .send(a, "POST", "/v1/instances", "{\"id\":\"" + id + "\"}", J);
        assertProblem(malformed, 400, "validation");
        Api.Response corrected = Api.as("alice").header("Idempotency-Key", key).post(b, "/v1/instances", body);
        Api.Response repeated = Api.as("alice").header("Idempotency-Key", key).post(a, "/v1/instances", body);

        assertThat(corrected.status()).as(corrected.text()).isEqualTo(201);
        assertThat(corrected.header("idempotency-replayed")).isNull();
        assertThat(repeated.status()).isEqualTo(201);
        assertThat(repeated.header("idempotency-replayed")).isEqualTo("true");
        assertThat(EventStore.history(SCHEMA, id)).hasSize(1);
    }

    @Test
    void anAnswerFromTheAggregateKeepsItsKey() {
        String key = "key-" + java.util.UUID.randomUUID();

        Api.Response first = Api.as("alice").header("Idempotency-Key", key)
                .post(a, "/v1/instances/no-such-vm/actions/stop", "{}");
        Api.Response again = Api.as("alice").header("Idempotency-Key", key)
                .post(b, "/v1/instances/no-such-vm/actions/stop", "{}");

        assertProblem(first, 404, "not-found");
        assertThat(again.header("idempotency-replayed")).isEqualTo("true");
    }

    // --- logs

    @Test
    void refusalsLogNoWarning() {
        Logger root = (Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);
        ListAppender<ILoggingEvent> captured = new ListAppender<>();
        captured.start();
        root.addAppender(captured);
        try {
            List<Api.Response> refused = List.of(
                    Api.as("alice").post(a, "/v1/instances/no-such-vm/actions/stop", "{}"),
                    Api.as("alice").post(a, "/v1/nodes/no-such-node/placements",
                            "{\"lvolId\":\"l\",\"namespaced\":true}"),
                    Api.as("alice").post(a, "/v1/instances", "{\"tpye\":1}"),
                    Api.as("alice").get(a, "/v1/nope"),
                    Api.as("alice").post(a, "//v1/instances", "{}"));
            List<String> ids = refused.stream().map(r -> r.header("x-correlation-id")).toList();
            assertThat(refused).allSatisfy(r -> assertThat(r.status()).isBetween(400, 499));

            List<ILoggingEvent> loud = captured.list.stream()
                    .filter(e -> e.getLevel().isGreaterOrEqual(Level.WARN))
                    .filter(e -> ids.contains(e.getMDCPropertyMap().get("correlationId"))
                            || e.getThrowableProxy() != null)
                    .toList();
            assertThat(loud).extracting(ILoggingEvent::getFormattedMessage).isEmpty();
        } finally {
            root.detachAppender(captured);
        }
    }

    // --- raw HTTP, for what an HTTP client library would refuse to send

    private record Raw(int status, String contentType, String text) {
    }

    private static JsonNode json(Raw raw) {
        return JsonMapper.builder().build().readTree(raw.text);
    }

    private static void assertRawProblem(Raw raw, int status, String what) {
        assertThat(raw.status).as(what + ": " + raw.text).isEqualTo(status);
        assertThat(raw.contentType).as(what).startsWith("application/problem+json");
        JsonNode body = json(raw);
        assertThat(body.get("type").asString()).startsWith("https://interlock.dev/problems/");
        assertThat(body.get("status").asInt()).isEqualTo(status);
        assertThat(body.get("correlationId").asString()).isNotBlank();
    }

    private static Raw raw(String request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", a.port())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            in.transferTo(all);
            String response = all.toString(StandardCharsets.UTF_8);
            int headersEnd = response.indexOf("\r\n\r\n");
            String head = response.substring(0, headersEnd);
            String body = response.substring(headersEnd + 4);
            int status = Integer.parseInt(head.substring(9, 12));
            String contentType = head.lines().filter(l -> l.toLowerCase().startsWith("content-type:"))
                    .map(l -> l.substring(13).trim()).findFirst().orElse("");
            if (head.toLowerCase().contains("transfer-encoding: chunked")) {
                body = unchunk(body);
            }
            return new Raw(status, contentType, body);
        }
    }

    private static String unchunk(String chunked) {
        StringBuilder body = new StringBuilder();
        int at = 0;
        while (true) {
            int lineEnd = chunked.indexOf("\r\n", at);
            int size = Integer.parseInt(chunked.substring(at, lineEnd).trim(), 16);
            if (size == 0) {
                return body.toString();
            }
            body.append(chunked, lineEnd + 2, lineEnd + 2 + size);
            at = lineEnd + 2 + size + 2;
        }
    }
}
