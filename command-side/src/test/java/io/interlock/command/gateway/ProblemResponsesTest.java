package io.interlock.command.gateway;

import io.interlock.command.support.Api;
import io.interlock.command.support.EventStore;
import io.interlock.command.support.Instances;
import io.interlock.command.support.Races;
import io.interlock.command.support.TwoReplicaTest;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.interlock.command.support.ProblemAssertions.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every problem type the instance endpoints can give, over HTTP on the real stack.
 * Each refused request must leave the event store as it was.
 */
class ProblemResponsesTest extends TwoReplicaTest {

    @Test
    void malformedJsonIsAValidationProblemAndChangesNothing() {
        String id = Instances.active(a, "alice");
        int before = EventStore.history(SCHEMA, id).size();

        Api.Response response = Api.as("alice").post(a, "/v1/instances/" + id + "/actions/stop", "{\"oops\"");

        assertProblem(response, 400, "validation");
        assertThat(response.json().get("errors").get(0).get("field").asString()).isEqualTo("body");
        assertThat(EventStore.history(SCHEMA, id)).hasSize(before);
    }

    @Test
    void unknownEnumValueNamesTheField() {
        String id = Instances.active(a, "alice");

        Api.Response response = Api.as("alice").post(a, "/v1/instances/" + id + "/actions/reboot",
                "{\"type\":\"GENTLE\"}");

        assertProblem(response, 400, "validation");
        assertThat(response.json().get("errors").get(0).get("field").asString()).isEqualTo("type");
    }

    @Test
    void missingFieldsAreListed() {
        Api.Response response = Api.as("alice").post(a, "/v1/instances", "{\"flavor\":\"m1.small\"}");

        assertProblem(response, 400, "validation");
        assertThat(response.json().get("errors").findValuesAsString("field")).contains("name");
    }

    @Test
    void anActionMissingItsParameterIsAValidationProblem() {
        String id = Instances.active(a, "alice");
        int before = EventStore.history(SCHEMA, id).size();

        Api.Response response = Api.as("alice").post(a, "/v1/instances/" + id + "/actions/resize", "{}");

        assertProblem(response, 400, "validation");
        assertThat(response.field("detail")).contains("flavor");
        assertThat(EventStore.history(SCHEMA, id)).hasSize(before);
    }

    @Test
    void anUnknownActionIsAValidationProblem() {
        String id = Instances.active(a, "alice");

        assertProblem(Api.as("alice").post(a, "/v1/instances/" + id + "/actions/teleport", "{}"), 400, "validation");
    }

    @Test
    void evacuateWithoutAssertingTheHostIsDownIsRefused() {
        String id = Instances.active(a, "alice");
        int before = EventStore.history(SCHEMA, id).size();

        Api.Response response = Api.as("alice").post(a, "/v1/instances/" + id + "/actions/evacuate",
                "{\"hostDown\":false}");

        assertProblem(response, 400, "validation");
        assertThat(EventStore.history(SCHEMA, id)).hasSize(before);
    }

    @Test
    void anInvalidIdIsAValidationProblem() {
        Api.Response response = Api.as("alice").post(a, "/v1/instances",
                "{\"id\":\"no spaces/allowed\",\"name\":\"x\",\"flavor\":\"m1\"}");

        assertProblem(response, 400, "validation");
        assertThat(response.json().get("errors").findValuesAsString("field")).contains("id");
    }

    @Test
    void aMissingCredentialIsChallengedForBasicAuth() {
        Api.Response response = Api.anonymous().post(a, "/v1/instances", "{\"name\":\"x\",\"flavor\":\"m1\"}");

        assertThat(response.header("www-authenticate")).isEqualTo("Basic realm=\"interlock\"");
    }

    @Test
    void missingCredentialsAreUnauthenticated() {
        assertProblem(Api.anonymous().post(a, "/v1/instances", "{\"name\":\"x\",\"flavor\":\"m1\"}"), 401,
                "unauthenticated");
        assertProblem(Api.as("alice").password("wrong").post(a, "/v1/instances", "{\"name\":\"x\",\"flavor\":\"m1\"}"),
                401, "unauthenticated");
    }

    @Test
    void aRoleThatMayNotActIsForbidden() {
        String id = Instances.active(a, "alice");
        int before = EventStore.history(SCHEMA, id).size();

        assertProblem(Api.as("alice").post(a, "/v1/instances/" + id + "/actions/reset-state",
                "{\"vmState\":\"ERROR\"}"), 403, "forbidden");
        assertProblem(Api.as("alice").post(a, "/v1/instances/" + id + "/tasks/whatever/complete"), 403, "forbidden");
        assertProblem(Api.as("auditor").post(a, "/v1/instances/" + id + "/actions/stop", "{}"), 403, "forbidden");
        assertProblem(Api.as("agent").post(a, "/v1/instances/" + id + "/actions/stop", "{}"), 403, "forbidden");
        assertThat(EventStore.history(SCHEMA, id)).hasSize(before);
    }

    @Test
    void anUnknownInstanceIsNotFound() {
        assertProblem(Api.as("alice").post(a, "/v1/instances/no-such-vm/actions/stop", "{}"), 404, "not-found");
    }

    @Test
    void anotherTenantsInstanceIsNotFoundAndUntouched() {
        String id = Instances.active(a, "alice");
        int before = EventStore.history(SCHEMA, id).size();

        Api.Response response = Api.as("bob").post(b, "/v1/instances/" + id + "/actions/stop", "{}");

        assertProblem(response, 404, "not-found");
        assertThat(response.text()).doesNotContain("ACTIVE");
        assertProblem(Api.as("bob").delete(b, "/v1/instances/" + id), 404, "not-found");
        assertThat(EventStore.history(SCHEMA, id)).hasSize(before);
    }

    @Test
    void aForbiddenTransitionIsInvalidStateWithEveryStateField() {
        String id = Instances.active(a, "alice");

        Api.Response response = Api.as("alice").post(a, "/v1/instances/" + id + "/actions/start", "{}");

        assertProblem(response, 409, "invalid-state");
        assertThat(response.field("resourceType")).isEqualTo("instance");
        assertThat(response.field("resourceId")).isEqualTo(id);
        assertThat(response.field("action")).isEqualTo("start");
        assertThat(response.field("vmState")).isEqualTo("ACTIVE");
        assertThat(response.json().has("taskState")).isTrue();
        assertThat(response.json().has("locked")).isTrue();
        assertThat(response.field("version")).isEqualTo("1");
        // idle and in the wrong state: waiting will not help
        assertThat(response.field("retryable")).isEqualTo("false");
    }

    @Test
    void aBusyInstanceSaysWaitingMayHelp() {
        String id = Instances.active(a, "alice");
        Api.as("alice").post(a, "/v1/instances/" + id + "/actions/stop", "{}");

        Api.Response response = Api.as("alice").post(b, "/v1/instances/" + id + "/actions/reboot", "{}");

        assertProblem(response, 409, "invalid-state");
        assertThat(response.field("taskState")).isEqualTo("POWERING_OFF");
        assertThat(response.field("retryable")).isEqualTo("true");
    }

    @Test
    void aLockedInstanceRefusesMembersWithReasonLocked() {
        String id = Instances.active(a, "alice");
        assertThat(Api.as("alice").post(a, "/v1/instances/" + id + "/actions/lock", "{}").status()).isEqualTo(200);

        Api.Response response = Api.as("alice").post(a, "/v1/instances/" + id + "/actions/stop", "{}");

        assertProblem(response, 409, "invalid-state");
        assertThat(response.field("reason")).isEqualTo("locked");
        assertThat(Api.as("admin").post(a, "/v1/instances/acme:" + id + "/actions/stop", "{}").status()).isEqualTo(202);
    }

    @Test
    void aReportOnATaskThatIsNotCurrentIsStale() {
        String id = Instances.active(a, "alice");
        int before = EventStore.history(SCHEMA, id).size();

        Api.Response response = Api.as("agent").post(a, "/v1/instances/acme:" + id + "/tasks/not-a-task/fail",
                "{\"reason\":\"disk\"}");

        assertProblem(response, 409, "stale-task");
        assertThat(EventStore.history(SCHEMA, id)).hasSize(before);
    }

    @Test
    void creatingAnIdTwiceIsAlreadyExists() {
        String id = Instances.active(a, "alice");

        Api.Response response = Api.as("alice").post(b, "/v1/instances",
                "{\"id\":\"" + id + "\",\"name\":\"again\",\"flavor\":\"m1\"}");

        assertProblem(response, 409, "already-exists");
        assertThat(EventStore.history(SCHEMA, id).get(0).payload()).doesNotContain("again");
    }

    @Test
    void racingCreatesOfOneIdOnBothReplicasMakeOneInstance() throws Exception {
        String id = Instances.newId("vm");
        String body = "{\"id\":\"" + id + "\",\"name\":\"race\",\"flavor\":\"m1\"}";

        List<Api.Response> responses = Races.race(8,
                i -> Api.as("alice").post(i % 2 == 0 ? a : b, "/v1/instances", body));

        assertThat(responses.stream().filter(r -> r.status() == 201)).hasSize(1);
        assertThat(responses.stream().filter(r -> r.status() != 201)).hasSize(7)
                .allSatisfy(r -> assertProblem(r, 409, "already-exists"));
        assertThat(EventStore.history(SCHEMA, id)).hasSize(1);
    }

    @Test
    void aStaleIfMatchIsVersionMismatch() {
        String id = Instances.active(a, "alice");
        int before = EventStore.history(SCHEMA, id).size();

        Api.Response response = Api.as("alice").header("If-Match", "\"0\"")
                .post(a, "/v1/instances/" + id + "/actions/stop", "{}");

        assertProblem(response, 412, "version-mismatch");
        assertThat(response.field("version")).isEqualTo("1");
        assertThat(EventStore.history(SCHEMA, id)).hasSize(before);
    }

    @Test
    void aMalformedIfMatchIsAValidationProblem() {
        String id = Instances.active(a, "alice");

        assertProblem(Api.as("alice").header("If-Match", "version-one")
                .post(a, "/v1/instances/" + id + "/actions/stop", "{}"), 400, "validation");
    }

    @Test
    void anOversizedBodyIsPayloadTooLarge() {
        String id = Instances.active(a, "alice");
        String huge = "{\"name\":\"" + "x".repeat(70_000) + "\"}";

        assertProblem(Api.as("alice").post(a, "/v1/instances/" + id + "/actions/snapshot", huge), 413,
                "payload-too-large");
    }

    @Test
    void aBodyThatIsNotJsonIsUnsupportedMediaType() {
        String id = Instances.active(a, "alice");

        Api.Response response = Api.as("alice").send(a, "POST", "/v1/instances/" + id + "/actions/stop",
                "stop please", "text/plain");

        assertProblem(response, 415, "unsupported-media-type");
    }

    @Test
    void aWrongMethodIsMethodNotAllowed() {
        String id = Instances.active(a, "alice");

        assertProblem(Api.as("alice").get(a, "/v1/instances/" + id + "/actions/stop"), 405, "method-not-allowed");
    }

    @Test
    void anUnknownEndpointIsNotFound() {
        assertProblem(Api.as("alice").post(a, "/v1/teleporters", "{}"), 404, "not-found");
    }

    @Test
    void everyProblemCarriesTheCorrelationIdOfItsRequest() {
        Api.Response response = Api.as("alice").header("X-Correlation-Id", "trace-me-123")
                .post(a, "/v1/instances/no-such-vm/actions/stop", "{}");

        assertThat(response.field("correlationId")).isEqualTo("trace-me-123");
        assertThat(response.header("x-correlation-id")).isEqualTo("trace-me-123");
    }
}
