package io.interlock.query.share;

import io.interlock.command.support.Api;
import io.interlock.command.support.Instances;
import io.interlock.command.support.Replica;
import io.interlock.command.support.Shares;
import io.interlock.query.support.QueryApp;
import io.interlock.query.support.Stack;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/** The share query API over HTTP, fed by a real command side through the event store. */
class ShareQueryTest {

    private static Replica command;
    private static QueryApp query;

    @BeforeAll
    static void stack() {
        command = Stack.command();
        query = Stack.query();
    }

    private static Api.Response seen(String user, String id, long version) {
        Api.Response view = Api.as(user).get(query, "/v1/shares/" + id + "?minVersion=" + version);
        assertThat(view.status()).as(view.text()).isEqualTo(200);
        return view;
    }

    @Test
    void aShareIsReadWithItsSnapshotItsLeaseAndItsRules() {
        String id = Shares.available(command, "alice");
        String snapshotId = Shares.snapshot(command, "alice", id);
        Api.Response rule = Api.as("alice").post(command, "/v1/shares/" + id + "/access-rules",
                "{\"accessType\":\"USER\",\"accessTo\":\"alice\",\"level\":\"RO\"}");
        assertThat(rule.status()).isEqualTo(202);
        String copy = Instances.newId("copy");
        Api.Response created = Api.as("alice").post(command, "/v1/shares",
                "{\"id\":\"" + copy + "\",\"sourceShareId\":\"" + id + "\",\"snapshotId\":\"" + snapshotId + "\"}");
        assertThat(created.status()).as(created.text()).isEqualTo(201);

        // version: created 0, completed 1, snapshot 2 and 3, rule 4, lease 5
        Api.Response view = seen("alice", id, 5);

        assertThat(view.field("status")).isEqualTo("AVAILABLE");
        assertThat(view.field("accessRulesStatus")).isEqualTo("ACTIVE");
        assertThat(view.field("version")).isEqualTo("5");
        assertThat(view.header("etag")).isEqualTo("\"5\"");
        JsonNode snapshot = view.json().get("snapshots").get(0);
        assertThat(snapshot.get("id").asString()).isEqualTo(snapshotId);
        assertThat(snapshot.get("status").asString()).isEqualTo("AVAILABLE");
        assertThat(snapshot.get("leaseOwners").get(0).asString()).isEqualTo(copy);
        JsonNode accessRule = view.json().get("accessRules").get(0);
        assertThat(accessRule.get("accessType").asString()).isEqualTo("USER");
        assertThat(accessRule.get("accessTo").asString()).isEqualTo("alice");
        assertThat(accessRule.get("state").asString()).isEqualTo("QUEUED_TO_APPLY");
        assertThat(view.json().get("allowedActions").toString()).contains("extend", "create-snapshot")
                .doesNotContain("\"delete\"", "delete-snapshot");

        Api.Response copyView = seen("alice", copy, 0);
        assertThat(copyView.field("status")).isEqualTo("CREATING_FROM_SNAPSHOT");
        assertThat(copyView.field("sourceSnapshotId")).isEqualTo(snapshotId);
        assertThat(copyView.field("taskId")).isEqualTo(created.field("taskId"));
        assertThat(copyView.field("taskStartedAt")).isNotNull();
    }

    @Test
    void theAuditTrailFoldsASharesHistoryWithTheSharedFold() {
        String id = Shares.available(command, "alice");
        String snapshotId = Shares.snapshot(command, "alice", id);

        JsonNode events = Api.as("auditor").get(query, "/v1/audit/shares/acme:" + id + "/events").json();
        assertThat(events.toString()).contains("ShareCreated", "ShareTaskStarted", "ShareTaskCompleted");
        JsonNode whileSnapshotting = Api.as("auditor").get(query, "/v1/audit/shares/acme:" + id + "/state?version=2").json();
        assertThat(whileSnapshotting.get("state").get("status").asString()).isEqualTo("SNAPSHOTTING");
        assertThat(whileSnapshotting.get("state").get("snapshots").get(snapshotId).get("status").asString())
                .isEqualTo("CREATING");
        // the latest (a version past it does not exist yet: 404)
        JsonNode now = Api.as("auditor").get(query,
                "/v1/audit/shares/acme:" + id + "/state?at=" + java.time.Instant.now()).json();
        assertThat(now.get("state").get("snapshots").get(snapshotId).get("status").asString()).isEqualTo("AVAILABLE");
    }

    @Test
    void theListFiltersByStatusAndHidesOtherTenants() {
        String id = Shares.available(command, "alice");
        Api.Response extending = Api.as("alice").post(command, "/v1/shares/" + id + "/actions/extend",
                "{\"newSize\":40}");
        assertThat(extending.status()).isEqualTo(202);
        seen("alice", id, Long.parseLong(extending.field("version")));

        Api.Response list = Api.as("alice").get(query, "/v1/shares?status=EXTENDING&size=500");
        assertThat(list.status()).as(list.text()).isEqualTo(200);
        assertThat(list.json().get("items").toString()).contains(id);
        list.json().get("items").forEach(item -> assertThat(item.get("status").asString()).isEqualTo("EXTENDING"));

        assertThat(Api.as("bob").get(query, "/v1/shares/" + id).status()).isEqualTo(404);
        assertThat(Api.as("bob").get(query, "/v1/shares?size=500").text()).doesNotContain(id);
        assertThat(Api.as("alice").get(query, "/v1/shares?status=SLEEPING").status()).isEqualTo(400);
    }
}
