package io.interlock.command.share;

import io.interlock.command.support.Api;
import io.interlock.command.support.EventStore;
import io.interlock.command.support.Instances;
import io.interlock.command.support.Races;
import io.interlock.command.support.Replica;
import io.interlock.command.support.Shares;
import io.interlock.command.support.TwoReplicas;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Race catalogue 2 and 3 and concurrent access rules (§3.2), over HTTP, against two
 * command-side replicas that share only the PostgreSQL event store. Each race is run on several
 * shares, so both orders of arrival get their chance.
 */
class ShareRaceTest {

    private static final String SCHEMA = TwoReplicas.SCHEMA;
    private static final int ROUNDS = 6;

    @Test
    void aDeleteRacingACreateSnapshotLetsExactlyOneWinAndNeverLeavesADeletedShareWithASnapshot() throws Exception {
        Replica a = TwoReplicas.a();
        Replica b = TwoReplicas.b();
        for (int round = 0; round < ROUNDS; round++) {
            String id = Shares.available(a, "alice");
            String snapshotId = Instances.newId("snap");
            boolean deleteOnA = round % 2 == 0;

            List<Api.Response> responses = Races.race(2, i -> i == 0
                    ? Api.as("alice").delete(deleteOnA ? a : b, "/v1/shares/" + id)
                    : Api.as("alice").post(deleteOnA ? b : a, "/v1/shares/" + id + "/snapshots",
                    "{\"snapshotId\":\"" + snapshotId + "\",\"name\":\"race\"}"));
            Api.Response delete = responses.get(0);
            Api.Response snapshot = responses.get(1);

            assertThat(List.of(delete.status(), snapshot.status())).as(responses.toString())
                    .containsExactlyInAnyOrder(202, 409);
            Api.Response loser = delete.status() == 409 ? delete : snapshot;
            assertThat(loser.problemType()).isEqualTo("invalid-state");
            assertThat(loser.field("retryable")).isEqualTo("true");

            // the winner's task ends; the share is never DELETED while a snapshot lives
            Api.Response winner = delete.status() == 202 ? delete : snapshot;
            Api.Response settled = Shares.complete(b, "acme:" + id, winner.field("taskId"));
            if (delete.status() == 202) {
                assertThat(settled.field("status")).isEqualTo("DELETED");
                assertThat(settled.json().get("snapshots")).isEmpty();
            } else {
                assertThat(settled.field("status")).isEqualTo("AVAILABLE");
                assertThat(Shares.snapshotStatus(settled, snapshotId)).isEqualTo("AVAILABLE");
                Api.Response deleteAgain = Api.as("alice").delete(a, "/v1/shares/" + id);
                assertThat(deleteAgain.status()).isEqualTo(409);
            }
            long starts = EventStore.history(SCHEMA, id).stream()
                    .filter(e -> e.shortType().equals("ShareTaskStarted")).count();
            assertThat(starts).as("one task started by the race").isEqualTo(1);
        }
    }

    @Test
    void aCreateFromASnapshotRacingItsDeleteEitherHoldsTheLeaseOrIsRefused() throws Exception {
        Replica a = TwoReplicas.a();
        Replica b = TwoReplicas.b();
        Set<String> outcomes = new HashSet<>();
        for (int round = 0; round < ROUNDS; round++) {
            String source = Shares.available(a, "alice");
            String snapshotId = Shares.snapshot(a, "alice", source);
            String copy = Instances.newId("copy");
            boolean createOnA = round % 2 == 0;

            List<Api.Response> responses = Races.race(2, i -> i == 0
                    ? Api.as("alice").post(createOnA ? a : b, "/v1/shares",
                    "{\"id\":\"" + copy + "\",\"sourceShareId\":\"" + source + "\",\"snapshotId\":\"" + snapshotId + "\"}")
                    : Api.as("alice").delete(createOnA ? b : a, "/v1/shares/" + source + "/snapshots/" + snapshotId));
            Api.Response create = responses.get(0);
            Api.Response delete = responses.get(1);

            if (create.status() == 201) {
                outcomes.add("create won");
                assertThat(delete.status()).as(responses.toString()).isEqualTo(409);
                assertThat(delete.problemType()).isEqualTo("invalid-state");
                // the snapshot is still there, leased by the new share
                Api.Response again = Api.as("alice").delete(b, "/v1/shares/" + source + "/snapshots/" + snapshotId);
                assertThat(again.status()).isEqualTo(409);
                assertThat(again.json().get("snapshots").get(snapshotId).get("status").asString())
                        .isEqualTo("AVAILABLE");
                assertThat(again.json().get("snapshots").get(snapshotId).get("leaseOwners").get(0).asString())
                        .isEqualTo(copy);
            } else {
                outcomes.add("delete won");
                assertThat(create.status()).as(responses.toString()).isEqualTo(409);
                assertThat(create.problemType()).isEqualTo("invalid-state");
                assertThat(delete.status()).isEqualTo(202);
                // no share was created from a snapshot being deleted
                assertThat(EventStore.history(SCHEMA, copy)).isEmpty();
                assertThat(EventStore.history(SCHEMA, source).stream()
                        .filter(e -> e.shortType().equals("SnapshotLeaseAcquired"))).isEmpty();
            }
        }
        assertThat(outcomes).isNotEmpty();
    }

    @Test
    void fiftyConcurrentAllowsWithDistinctRulesAcrossBothReplicasAreAllAccepted() throws Exception {
        Replica a = TwoReplicas.a();
        Replica b = TwoReplicas.b();
        String id = Shares.available(a, "alice");

        List<Api.Response> responses = Races.race(50, i -> Api.as("alice").post(i % 2 == 0 ? a : b,
                "/v1/shares/" + id + "/access-rules",
                "{\"accessType\":\"IP\",\"accessTo\":\"10.0.0." + i + "\",\"level\":\"RW\"}"));

        assertThat(responses).as(responses.toString()).allMatch(r -> r.status() == 202);
        long allowed = EventStore.history(SCHEMA, id).stream()
                .filter(e -> e.shortType().equals("AccessRuleAllowed")).count();
        assertThat(allowed).isEqualTo(50);
        Api.Response batch = Api.as("agent").post(b, "/v1/shares/acme:" + id + "/access-rules/sync");
        assertThat(batch.status()).as(batch.text()).isEqualTo(200);
        assertThat(batch.json().get("rules")).hasSize(50);
        Set<String> targets = new HashSet<>();
        batch.json().get("rules").forEach(rule -> {
            assertThat(rule.get("state").asString()).isEqualTo("APPLYING");
            targets.add(rule.get("accessTo").asString());
        });
        assertThat(targets).hasSize(50);
    }

    @Test
    void concurrentAllowsAndDeniesAcrossBothReplicasAllSucceed() throws Exception {
        Replica a = TwoReplicas.a();
        Replica b = TwoReplicas.b();
        String id = Shares.available(a, "alice");
        List<String> existing = new java.util.ArrayList<>();
        for (int i = 0; i < 20; i++) {
            Api.Response allowed = Api.as("alice").post(a, "/v1/shares/" + id + "/access-rules",
                    "{\"accessType\":\"CERT\",\"accessTo\":\"cn=client-" + i + "\",\"level\":\"RO\"}");
            assertThat(allowed.status()).isEqualTo(202);
            var rules = allowed.json().get("accessRules");
            existing.add(rules.get(rules.size() - 1).get("id").asString());
        }

        List<Api.Response> responses = Races.race(40, i -> i < 20
                ? Api.as("alice").delete(i % 2 == 0 ? a : b, "/v1/shares/" + id + "/access-rules/" + existing.get(i))
                : Api.as("alice").post(i % 2 == 0 ? a : b, "/v1/shares/" + id + "/access-rules",
                "{\"accessType\":\"USER\",\"accessTo\":\"user-" + i + "\",\"level\":\"RW\"}"));

        assertThat(responses).as(responses.toString()).allMatch(r -> r.status() == 202);
        Api.Response batch = Api.as("agent").post(a, "/v1/shares/acme:" + id + "/access-rules/sync");
        assertThat(batch.json().get("rules")).hasSize(40);
        java.util.Map<String, Long> states = new java.util.HashMap<>();
        batch.json().get("rules").forEach(rule -> states.merge(rule.get("state").asString(), 1L, Long::sum));
        assertThat(states).isEqualTo(java.util.Map.of("DENYING", 20L, "APPLYING", 20L));
    }
}
