package io.interlock.command.share;

import io.interlock.command.support.Api;
import io.interlock.command.support.EventStore;
import io.interlock.command.support.Instances;
import io.interlock.command.support.Replica;
import io.interlock.command.support.Shares;
import io.interlock.command.support.TwoReplicas;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The share API over HTTP: the README's worked example (create, snapshot, create from snapshot,
 * a refused snapshot delete, completion, the lease given back by the saga), the agent's
 * access-rule protocol, roles, and bad input answered 4xx without a change.
 */
class ShareHttpTest {

    private static final String SCHEMA = TwoReplicas.SCHEMA;

    @Test
    void theWorkedExampleCreateSnapshotCopyRefusedDeleteCompletionLeaseReleased() throws Exception {
        Replica a = TwoReplicas.a();
        Replica b = TwoReplicas.b();
        String source = Shares.available(a, "alice");
        String snapshotId = Shares.snapshot(a, "alice", source);
        String copy = Instances.newId("copy");

        Api.Response created = Api.as("alice").post(b, "/v1/shares",
                "{\"id\":\"" + copy + "\",\"sourceShareId\":\"" + source + "\",\"snapshotId\":\"" + snapshotId + "\"}");
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        assertThat(created.field("status")).isEqualTo("CREATING_FROM_SNAPSHOT");
        assertThat(created.field("size")).isEqualTo("10");
        assertThat(created.header("ETag")).isEqualTo("\"0\"");

        Api.Response refused = Api.as("alice").delete(a, "/v1/shares/" + source + "/snapshots/" + snapshotId);
        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.problemType()).isEqualTo("invalid-state");
        assertThat(refused.field("retryable")).isEqualTo("true");
        assertThat(refused.field("detail")).contains("read lease");
        assertThat(refused.json().get("status").asInt()).isEqualTo(409);
        assertThat(refused.field("shareStatus")).isEqualTo("AVAILABLE");
        assertThat(refused.json().get("snapshots").get(snapshotId).get("leaseOwners").get(0).asString())
                .isEqualTo(copy);
        Api.Response shareDelete = Api.as("alice").delete(a, "/v1/shares/" + source);
        assertThat(shareDelete.status()).isEqualTo(409);

        Api.Response done = Shares.complete(b, "acme:" + copy, created.field("taskId"));
        assertThat(done.field("status")).isEqualTo("AVAILABLE");

        // the saga gives the lease back; then the snapshot can go
        Api.Response deleted = null;
        Instant until = Instant.now().plus(Duration.ofSeconds(30));
        while (Instant.now().isBefore(until)) {
            deleted = Api.as("alice").delete(a, "/v1/shares/" + source + "/snapshots/" + snapshotId);
            if (deleted.status() != 409) {
                break;
            }
            Thread.sleep(200);
        }
        assertThat(deleted.status()).as(deleted.text()).isEqualTo(202);
        assertThat(Shares.snapshotStatus(deleted, snapshotId)).isEqualTo("DELETING");
        assertThat(Shares.leaseOwners(deleted, snapshotId)).isEmpty();
        assertThat(EventStore.history(SCHEMA, source).stream().map(EventStore.StoredEvent::shortType))
                .containsSubsequence("SnapshotLeaseAcquired", "SnapshotLeaseReleased", "ShareTaskStarted");
    }

    @Test
    void theAgentClaimsQueuedRulesAndADeniedRuleDisappearsOnceApplied() {
        Replica a = TwoReplicas.a();
        String id = Shares.available(a, "alice");
        Api.Response allowed = Api.as("alice").post(a, "/v1/shares/" + id + "/access-rules",
                "{\"accessType\":\"IP\",\"accessTo\":\"10.1.1.1\",\"level\":\"RO\"}");
        assertThat(allowed.status()).as(allowed.text()).isEqualTo(202);
        String ruleId = allowed.json().get("accessRules").get(0).get("id").asString();
        Api.Response identical = Api.as("alice").post(a, "/v1/shares/" + id + "/access-rules",
                "{\"accessType\":\"IP\",\"accessTo\":\"10.1.1.1\",\"level\":\"RO\"}");
        assertThat(identical.status()).isEqualTo(409);
        assertThat(identical.problemType()).isEqualTo("already-exists");

        Api.Response batch = Api.as("agent").post(a, "/v1/shares/acme:" + id + "/access-rules/sync");
        assertThat(batch.status()).isEqualTo(200);
        String syncId = batch.field("syncId");
        assertThat(Api.as("agent").post(a, "/v1/shares/acme:" + id + "/access-rules/sync").status()).isEqualTo(409);
        Api.Response applied = Api.as("agent").post(a, "/v1/shares/acme:" + id + "/access-rules/sync/" + syncId + "/result",
                "{\"results\":{\"" + ruleId + "\":\"OK\"}}");
        assertThat(applied.status()).as(applied.text()).isEqualTo(200);
        assertThat(applied.field("accessRulesStatus")).isEqualTo("ACTIVE");
        assertThat(applied.json().get("accessRules").get(0).get("state").asString()).isEqualTo("ACTIVE");

        Api.Response denied = Api.as("alice").delete(a, "/v1/shares/" + id + "/access-rules/" + ruleId);
        assertThat(denied.status()).isEqualTo(202);
        assertThat(denied.json().get("accessRules").get(0).get("state").asString()).isEqualTo("QUEUED_TO_DENY");
        String denySync = Api.as("agent").post(a, "/v1/shares/acme:" + id + "/access-rules/sync").field("syncId");
        Api.Response gone = Api.as("agent").post(a, "/v1/shares/acme:" + id + "/access-rules/sync/" + denySync + "/result",
                "{\"results\":{\"" + ruleId + "\":\"OK\"}}");
        assertThat(gone.json().get("accessRules")).isEmpty();
    }

    @Test
    void aMemberMayNotSyncOrResetAndAnotherTenantSeesNothing() {
        Replica a = TwoReplicas.a();
        String id = Shares.available(a, "alice");
        assertThat(Api.as("alice").post(a, "/v1/shares/" + id + "/access-rules/sync").status()).isEqualTo(403);
        assertThat(Api.as("alice").post(a, "/v1/shares/" + id + "/actions/reset-status",
                "{\"status\":\"ERROR\",\"force\":true}").status()).isEqualTo(403);
        assertThat(Api.as("bob").delete(a, "/v1/shares/" + id).status()).isEqualTo(404);
        Api.Response reset = Api.as("admin").post(a, "/v1/shares/acme:" + id + "/actions/reset-status",
                "{\"status\":\"ERROR\",\"force\":true}");
        assertThat(reset.status()).as(reset.text()).isEqualTo(200);
        assertThat(reset.field("status")).isEqualTo("ERROR");
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @CsvSource(delimiter = '|', value = {
            "POST|/v1/shares|{\"size\":10}",
            "POST|/v1/shares|{\"size\":0,\"protocol\":\"NFS\"}",
            "POST|/v1/shares|{\"size\":10,\"protocol\":\"NFS\",\"sourceShareId\":\"x\",\"snapshotId\":\"y\"}",
            "POST|/v1/shares|{\"sourceShareId\":\"x\"}",
            "POST|/v1/shares|{\"manage\":{\"exportPath\":\"\"}}",
            "POST|/v1/shares|{\"size\":\"big\",\"protocol\":\"NFS\"}",
            "POST|/v1/shares/{id}/actions/extend|{}",
            "POST|/v1/shares/{id}/actions/shrink|{\"newSize\":50}",
            "POST|/v1/shares/{id}/actions/frobnicate|{}",
            "POST|/v1/shares/{id}/actions/revert|{}",
            "POST|/v1/shares/{id}/snapshots|{}",
            "POST|/v1/shares/{id}/access-rules|{\"accessType\":\"MAC\",\"accessTo\":\"x\",\"level\":\"RW\"}",
            "POST|/v1/shares/{id}/access-rules|{\"accessType\":\"IP\",\"level\":\"RW\"}",
            "POST|/v1/shares/{id}/access-rules|not json",
    })
    void badInputIsA400ThatChangesNothing(String method, String path, String body) {
        Replica a = TwoReplicas.a();
        String id = Shares.available(a, "alice");
        int before = EventStore.history(SCHEMA, id).size();
        Api.Response response = Api.as("alice").send(a, method, path.replace("{id}", id), body, "application/json");
        assertThat(response.status()).as(response.text()).isEqualTo(400);
        assertThat(response.problemType()).isEqualTo("validation");
        assertThat(EventStore.history(SCHEMA, id)).hasSize(before);
    }

    @Test
    void unknownSharesAndSnapshotsAre404() {
        Replica a = TwoReplicas.a();
        String id = Shares.available(a, "alice");
        assertThat(Api.as("alice").delete(a, "/v1/shares/no-such-share").status()).isEqualTo(404);
        assertThat(Api.as("alice").delete(a, "/v1/shares/" + id + "/snapshots/nope").status()).isEqualTo(404);
        assertThat(Api.as("alice").post(a, "/v1/shares", "{\"sourceShareId\":\"" + id + "\",\"snapshotId\":\"nope\"}")
                .status()).isEqualTo(404);
        assertThat(Api.as("alice").delete(a, "/v1/shares/" + id + "/access-rules/nope").status()).isEqualTo(404);
    }

    @Test
    void twoSharesCannotManageOnePath() {
        Replica a = TwoReplicas.a();
        Replica b = TwoReplicas.b();
        String path = "/exports/" + Instances.newId("p");
        Api.Response first = Api.as("alice").post(a, "/v1/shares", "{\"manage\":{\"exportPath\":\"" + path + "\"}}");
        assertThat(first.status()).as(first.text()).isEqualTo(201);
        assertThat(first.field("status")).isEqualTo("MANAGE_STARTING");
        Api.Response second = Api.as("alice").post(b, "/v1/shares", "{\"manage\":{\"exportPath\":\"" + path + "\"}}");
        assertThat(second.status()).isEqualTo(409);
        assertThat(second.problemType()).isEqualTo("already-exists");
    }

    @Test
    void aStaleIfMatchIs412() {
        Replica a = TwoReplicas.a();
        String id = Shares.available(a, "alice");
        Api.Response response = Api.as("alice").header("If-Match", "\"0\"")
                .post(a, "/v1/shares/" + id + "/actions/extend", "{\"newSize\":20}");
        assertThat(response.status()).isEqualTo(412);
        Api.Response current = Api.as("alice").header("If-Match", "\"1\"")
                .post(a, "/v1/shares/" + id + "/actions/extend", "{\"newSize\":20}");
        assertThat(current.status()).as(current.text()).isEqualTo(202);
        assertThat(current.field("status")).isEqualTo("EXTENDING");
    }
}
