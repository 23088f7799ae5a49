package io.interlock.query.instance;

import io.interlock.command.support.Api;
import io.interlock.command.support.Instances;
import io.interlock.command.support.Replica;
import io.interlock.query.support.QueryApp;
import io.interlock.query.support.Stack;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The instance query API over HTTP, fed by a real command side through the event store. */
class InstanceQueryTest {

    private static Replica command;
    private static QueryApp query;

    @BeforeAll
    static void stack() {
        command = Stack.command();
        query = Stack.query();
    }

    /** Sends a command and waits until the read model shows its result. */
    private static Api.Response act(String user, String id, String action, String body) {
        Api.Response response = Api.as(user).post(command, "/v1/instances/" + id + "/actions/" + action, body);
        assertThat(response.status()).as(response.text()).isIn(200, 202);
        seen(user, id, Long.parseLong(response.field("version")));
        return response;
    }

    private static Api.Response seen(String user, String id, long version) {
        Api.Response view = Api.as(user).get(query, "/v1/instances/" + id + "?minVersion=" + version);
        assertThat(view.status()).as(view.text()).isEqualTo(200);
        return view;
    }

    private static String activeAndSeen(String owner) {
        String id = Instances.active(command, owner);
        seen(owner, id, 1);
        return id;
    }

    @Test
    void readYourWritesWithMinVersion() {
        String id = Instances.active(command, "alice");
        Api.Response stopping = Api.as("alice").post(command, "/v1/instances/" + id + "/actions/stop", "{}");
        long version = Long.parseLong(stopping.field("version"));

        Api.Response view = Api.as("alice").get(query, "/v1/instances/" + id + "?minVersion=" + version);

        assertThat(view.status()).isEqualTo(200);
        assertThat(view.field("taskState")).isEqualTo("POWERING_OFF");
        assertThat(view.field("version")).isEqualTo(String.valueOf(version));
        assertThat(view.header("etag")).isEqualTo("\"" + version + "\"");
        assertThat(view.field("taskId")).isEqualTo(stopping.field("taskId"));
        assertThat(view.field("taskStartedAt")).isNotNull();
        assertThat(view.json().get("allowedActions").toString()).contains("delete").doesNotContain("\"stop\"");
    }

    @Test
    void aVersionNeverReachedIsReportedNotFaked() {
        String id = activeAndSeen("alice");

        Api.Response view = Api.as("alice").get(query, "/v1/instances/" + id + "?minVersion=99");

        assertThat(view.status()).isEqualTo(503);
        assertThat(view.problemType()).isEqualTo("not-yet-projected");
        assertThat(view.field("retryable")).isEqualTo("true");
    }

    @Test
    void filtersPagingAndSorting() {
        // a tenant of its own would need new credentials; the filters narrow to this test's instances by name
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(activeAndSeen("bob"));
        }
        act("bob", ids.get(0), "stop", "{}");
        act("bob", ids.get(1), "stop", "{}");
        act("bob", ids.get(2), "lock", "{}");

        Api.Response stopping = Api.as("bob").get(query, "/v1/instances?taskState=POWERING_OFF&size=500");
        assertThat(names(stopping)).contains(ids.get(0), ids.get(1)).doesNotContain(ids.get(2), ids.get(3));
        assertThat(stopping.json().get("items").findValuesAsString("taskState")).containsOnly("POWERING_OFF");

        Api.Response locked = Api.as("bob").get(query, "/v1/instances?locked=true&size=500");
        assertThat(names(locked)).contains(ids.get(2)).doesNotContain(ids.get(0), ids.get(3));

        Api.Response idleActive = Api.as("bob").get(query, "/v1/instances?vmState=ACTIVE&busy=false&locked=false&size=500");
        assertThat(names(idleActive)).contains(ids.get(3), ids.get(4)).doesNotContain(ids.get(0), ids.get(2));

        Api.Response firstPage = Api.as("bob").get(query, "/v1/instances?sort=id,desc&size=2&page=0");
        Api.Response secondPage = Api.as("bob").get(query, "/v1/instances?sort=id,desc&size=2&page=1");
        List<String> first = names(firstPage);
        List<String> second = names(secondPage);
        assertThat(first).hasSize(2).isSortedAccordingTo((a, b) -> b.compareTo(a));
        assertThat(second).hasSize(2);
        assertThat(first.get(1).compareTo(second.get(0))).isPositive();
        long total = firstPage.json().get("totalItems").asLong();
        assertThat(total).isGreaterThanOrEqualTo(5);
        assertThat(firstPage.json().get("totalPages").asLong()).isEqualTo((total + 1) / 2);
    }

    @Test
    void membersSeeTheirOwnTenantOnly() {
        String alices = activeAndSeen("alice");

        assertThat(Api.as("bob").get(query, "/v1/instances/" + alices).status()).isEqualTo(404);
        // read-your-writes must not tell another tenant's resource from a missing one: bob's id
        // space has neither, so both wait the same and end alike
        Api.Response alicesId = Api.as("bob").get(query, "/v1/instances/" + alices + "?minVersion=1");
        Api.Response missing = Api.as("bob").get(query, "/v1/instances/" + Instances.newId("none") + "?minVersion=1");
        assertThat(alicesId.status()).isEqualTo(missing.status());
        assertThat(alicesId.problemType()).isEqualTo(missing.problemType());
        assertThat(names(Api.as("bob").get(query, "/v1/instances?size=500"))).doesNotContain(alices);
        assertThat(names(Api.as("bob").get(query, "/v1/instances?tenant=acme&size=500"))).isEmpty();
        assertThat(Api.as("admin").get(query, "/v1/instances/acme:" + alices).status()).isEqualTo(200);
        assertThat(names(Api.as("admin").get(query, "/v1/instances?tenant=acme&size=500"))).contains(alices);
    }

    @Test
    void badQueriesAreValidationProblems() {
        for (String bad : List.of("vmState=FLYING", "vmState=,", "previousVmState=,", "previousVmState=ACTIVE,STOPPED",
                "size=0", "size=501", "page=-1", "sort=password", "sort=id,sideways", "busy=maybe")) {
            Api.Response response = Api.as("alice").get(query, "/v1/instances?" + bad);
            assertThat(response.status()).as(bad).isEqualTo(400);
            assertThat(response.problemType()).as(bad).isEqualTo("validation");
        }
        assertThat(Api.anonymous().get(query, "/v1/instances").problemType()).isEqualTo("unauthenticated");
    }

    @Test
    void statsCountEveryStateField() {
        String id = activeAndSeen("alice");
        JsonNode before = Api.as("alice").get(query, "/v1/stats").json().get("instances");
        act("alice", id, "pause", "{}");

        JsonNode after = Api.as("alice").get(query, "/v1/stats").json().get("instances");

        assertThat(count(after, "taskState", "PAUSING")).isEqualTo(count(before, "taskState", "PAUSING") + 1);
        assertThat(count(after, "taskState", "NONE")).isEqualTo(count(before, "taskState", "NONE") - 1);
        assertThat(count(after, "vmState", "ACTIVE")).isEqualTo(count(before, "vmState", "ACTIVE"));
        assertThat(after.get("locked")).isNotNull();
    }

    @Test
    void stuckListsResourcesBusyLongerThanAsked() throws Exception {
        String id = activeAndSeen("alice");
        act("alice", id, "suspend", "{}");
        Thread.sleep(1100);

        Api.Response recent = Api.as("alice").get(query, "/v1/stuck?olderThan=PT1S");
        Api.Response old = Api.as("alice").get(query, "/v1/stuck?olderThan=PT1H");

        assertThat(recent.json().get("items").findValuesAsString("id")).contains(id);
        assertThat(recent.json().get("items").toString()).contains("SUSPENDING");
        assertThat(old.json().get("items").findValuesAsString("id")).doesNotContain(id);
        assertThat(Api.as("alice").get(query, "/v1/stuck?olderThan=soon").status()).isEqualTo(400);
        assertThat(Api.as("alice").get(query, "/v1/stuck?olderThan=PT9223372036854775807S").status()).isEqualTo(400);
    }

    @Test
    void aStreamAskedForInAnotherFormatIsNotAcceptableNotAnError() {
        Api.Response response = Api.as("alice").header("Accept", "application/json").get(query, "/v1/stream");

        assertThat(response.status()).isEqualTo(406);
    }

    private static long count(JsonNode stats, String field, String value) {
        JsonNode n = stats.get(field).get(value);
        return n == null ? 0 : n.asLong();
    }

    private static List<String> names(Api.Response page) {
        assertThat(page.status()).as(page.text()).isEqualTo(200);
        return page.json().get("items").findValuesAsString("id");
    }
}
