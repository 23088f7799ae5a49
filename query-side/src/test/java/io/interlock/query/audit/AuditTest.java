package io.interlock.query.audit;

import io.interlock.command.support.Api;
import io.interlock.command.support.Instances;
import io.interlock.command.support.Replica;
import io.interlock.query.support.QueryApp;
import io.interlock.query.support.Stack;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The audit trail, read from the event store, against the commands that were really sent. */
class AuditTest {

    private static Replica command;
    private static QueryApp query;

    @BeforeAll
    static void stack() {
        command = Stack.command();
        query = Stack.query();
    }

    @Test
    void theHistoryIsTheCommandsSentWithWhoSentThemAndHow() {
        String id = Instances.newId("aud");
        Api.Response created = Api.as("alice").header("X-Correlation-Id", "c-create-" + id)
                .post(command, "/v1/instances", "{\"id\":\"" + id + "\",\"name\":\"a\",\"flavor\":\"m1\"}");
        Api.as("agent").post(command, "/v1/instances/acme:" + id + "/tasks/" + created.field("taskId") + "/complete");
        Api.Response shelving = Api.as("alice").header("Idempotency-Key", "k-" + id)
                .header("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")
                .post(command, "/v1/instances/" + id + "/actions/shelve", "{}");

        Api.Response history = Api.as("auditor").get(query, "/v1/audit/instances/acme:" + id + "/events");

        assertThat(history.status()).isEqualTo(200);
        JsonNode events = history.json();
        assertThat(events.findValuesAsString("type"))
                .containsExactly("InstanceCreated", "InstanceTaskCompleted", "InstanceTaskStarted");
        assertThat(events.findValues("sequence").stream().map(JsonNode::asLong).toList()).containsExactly(0L, 1L, 2L);
        JsonNode first = events.get(0);
        assertThat(first.get("timestamp").asString()).isNotBlank();
        assertThat(first.get("payload").get("name").asString()).isEqualTo("a");
        assertThat(first.get("metadata").get("principal").asString()).isEqualTo("alice");
        assertThat(first.get("metadata").get("correlationId").asString()).isEqualTo("c-create-" + id);
        assertThat(first.get("metadata").get("clientAddress").asString()).isEqualTo("127.0.0.1");
        assertThat(events.get(1).get("metadata").get("principal").asString()).isEqualTo("agent");
        JsonNode third = events.get(2);
        assertThat(third.get("payload").get("action").asString()).isEqualTo("SHELVE");
        assertThat(third.get("payload").get("taskId").asString()).isEqualTo(shelving.field("taskId"));
        assertThat(third.get("metadata").get("idempotencyKey").asString()).isEqualTo("k-" + id);
        assertThat(third.get("metadata").get("traceId").asString()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
    }

    @Test
    void theStateAsOfAVersionOrAnInstantIsWhatItWasThen() throws Exception {
        String id = Instances.active(command, "alice");
        Api.Response pausing = Api.as("alice").post(command, "/v1/instances/" + id + "/actions/pause", "{}");
        Api.as("agent").post(command, "/v1/instances/acme:" + id + "/tasks/" + pausing.field("taskId") + "/complete");
        Thread.sleep(20);
        Instant whilePaused = Instant.now();
        Thread.sleep(20);
        Api.as("alice").post(command, "/v1/instances/" + id + "/actions/lock", "{}");

        JsonNode atVersion2 = Api.as("auditor").get(query, "/v1/audit/instances/acme:" + id + "/state?version=2")
                .json();
        JsonNode atInstant = Api.as("admin").get(query, "/v1/audit/instances/acme:" + id + "/state?at=" + whilePaused)
                .json();
        // the latest (a version past it does not exist yet: 404)
        JsonNode now = Api.as("auditor").get(query,
                "/v1/audit/instances/acme:" + id + "/state?at=" + java.time.Instant.now()).json();

        assertThat(atVersion2.get("version").asLong()).isEqualTo(2);
        assertThat(atVersion2.get("state").get("vmState").asString()).isEqualTo("ACTIVE");
        assertThat(atVersion2.get("state").get("taskState").asString()).isEqualTo("PAUSING");
        assertThat(atInstant.get("version").asLong()).isEqualTo(3);
        assertThat(atInstant.get("state").get("vmState").asString()).isEqualTo("PAUSED");
        assertThat(atInstant.get("state").get("locked").asBoolean()).isFalse();
        assertThat(now.get("version").asLong()).isEqualTo(4);
        assertThat(now.get("state").get("locked").asBoolean()).isTrue();
        Api.Response before = Api.as("auditor").get(query, "/v1/audit/instances/acme:" + id + "/state?at=2000-01-01T00:00:00Z");
        assertThat(before.status()).isEqualTo(404);
    }

    @Test
    void theGlobalStreamPagesInStoreOrder() {
        Instances.active(command, "alice");
        Instances.active(command, "bob");

        JsonNode first = Api.as("auditor").get(query, "/v1/audit/events?after=0&limit=3").json();
        List<Long> positions = first.get("events").findValues("position").stream().map(JsonNode::asLong).toList();
        JsonNode second = Api.as("auditor").get(query, "/v1/audit/events?after=" + first.get("next").asLong()
                + "&limit=3").json();

        assertThat(positions).hasSize(3).isSorted().doesNotHaveDuplicates();
        assertThat(first.get("next").asLong()).isEqualTo(positions.get(2));
        assertThat(second.get("events").get(0).get("position").asLong()).isGreaterThan(positions.get(2));
        assertThat(second.get("events").get(0).get("aggregateId").asString()).isNotBlank();
    }

    @Test
    void onlyAuditorsAndAdminsReadTheAuditTrailAndBadAsksAreRefused() {
        String id = Instances.active(command, "alice");

        assertThat(Api.as("alice").get(query, "/v1/audit/instances/" + id + "/events").status()).isEqualTo(403);
        assertThat(Api.as("agent").get(query, "/v1/audit/events").status()).isEqualTo(403);
        assertThat(Api.as("auditor").get(query, "/v1/audit/instances/nobody/events").status()).isEqualTo(404);
        assertThat(Api.as("auditor").get(query, "/v1/audit/volcanoes/" + id + "/events").status()).isEqualTo(404);
        assertThat(Api.as("auditor").get(query, "/v1/audit/instances/acme:" + id + "/state").status()).isEqualTo(400);
        assertThat(Api.as("auditor").get(query, "/v1/audit/instances/acme:" + id + "/state?at=yesterday").status())
                .isEqualTo(400);
        assertThat(Api.as("auditor").get(query, "/v1/audit/events?limit=5000").status()).isEqualTo(400);
    }
}
