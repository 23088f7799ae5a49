package io.interlock.query.web;

import io.interlock.command.support.Api;
import io.interlock.command.support.Instances;
import io.interlock.query.support.Stack;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.interlock.command.support.ProblemAssertions.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Query input is taken as meant or refused with 400 {@code validation} naming the field: unknown
 * parameters, broken percent-encodings, NULs, over-long values and wrong types; never a 500.
 */
class QueryInputTest {

    static final List<String> QUERY_ENDPOINTS = List.of("/v1/instances", "/v1/instances/x", "/v1/nodes",
            "/v1/nodes/x", "/v1/subsystems", "/v1/subsystems/x", "/v1/utilisation", "/v1/volumes", "/v1/volumes/x",
            "/v1/replacements", "/v1/replacements/x", "/v1/shares", "/v1/shares/x", "/v1/stats", "/v1/stuck",
            "/v1/stream", "/v1/audit/instances/x/events", "/v1/audit/instances/x/state", "/v1/audit/events",
            "/v1/admin/projections", "/v1/admin/projections/instance-projection");

    @Test
    void anUnknownQueryParameterIsRefusedOnEveryEndpoint() {
        for (String path : QUERY_ENDPOINTS) {
            Api.Response answer = Api.as("admin").get(Stack.query(), path + "?colour=red");
            assertProblem(answer, 400, "validation");
            assertThat(field(answer)).as(path).isEqualTo("colour");
        }
        // the same parameter twice is not quietly joined or picked from
        Api.Response twice = Api.as("admin").get(Stack.query(), "/v1/instances?size=5&size=6");
        assertProblem(twice, 400, "validation");
        assertThat(field(twice)).isEqualTo("size");
    }

    @Test
    void badlyEncodedNulLongAndMistypedValuesAreRefusedNamingTheField() {
        String[][] cases = {
                {"/v1/instances?vmState=%FF", "vmState"},
                {"/v1/instances?tenant=a%00b", "tenant"},
                {"/v1/utilisation?nodeId=%00", "nodeId"},
                {"/v1/shares?tenant=" + "t".repeat(300), "tenant"},
                {"/v1/instances?size=abc", "size"},
                {"/v1/instances?busy=maybe", "busy"},
                {"/v1/audit/events?after=1.5", "after"},
                {"/v1/instances/" + "x".repeat(300), "id"},
                {"/v1/instances/a%00b", null},
        };
        for (String[] given : cases) {
            Api.Response answer = Api.as("admin").get(Stack.query(), given[0]);
            assertProblem(answer, 400, "validation");
            if (given[1] != null) {
                assertThat(field(answer)).as(given[0]).isEqualTo(given[1]);
            }
        }
    }

    @Test
    void theAuditStateOfAVersionNotYetReachedIsNotFound() {
        String id = Instances.active(Stack.command(), "alice");
        Api.Response now = Api.as("auditor").get(Stack.query(), "/v1/audit/instances/acme:" + id + "/state?version=1");
        assertThat(now.status()).as(now.text()).isEqualTo(200);
        Api.Response ahead = Api.as("auditor").get(Stack.query(), "/v1/audit/instances/acme:" + id + "/state?version=999");
        assertProblem(ahead, 404, "not-found");
        assertThat(ahead.field("detail")).contains("999");
        assertThat(ahead.json().get("latestVersion").asLong()).isEqualTo(1);
    }

    private static String field(Api.Response answer) {
        return answer.json().get("errors").get(0).get("field").asString();
    }
}
