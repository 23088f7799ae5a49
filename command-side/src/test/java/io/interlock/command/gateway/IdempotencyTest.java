package io.interlock.command.gateway;

import io.interlock.command.support.Api;
import io.interlock.command.support.EventStore;
import io.interlock.command.support.Instances;
import io.interlock.command.support.TestDatabase;
import io.interlock.command.support.TwoReplicaTest;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code Idempotency-Key} across two replicas sharing one database. */
class IdempotencyTest extends TwoReplicaTest {

    private static String key() {
        return "key-" + UUID.randomUUID();
    }

    @Test
    void theSameRequestOnAnotherReplicaReplaysTheFirstAnswerWithoutASecondEffect() {
        String id = Instances.active(a, "alice");
        String key = key();

        Api.Response first = Api.as("alice").header("Idempotency-Key", key)
                .post(a, "/v1/instances/" + id + "/actions/stop", "{}");
        Api.Response again = Api.as("alice").header("Idempotency-Key", key)
                .post(b, "/v1/instances/" + id + "/actions/stop", "{}");

        assertThat(first.status()).isEqualTo(202);
        assertThat(again.status()).isEqualTo(202);
        assertThat(again.text()).isEqualTo(first.text());
        assertThat(again.header("etag")).isEqualTo(first.header("etag"));
        assertThat(again.header("idempotency-replayed")).isEqualTo("true");
        assertThat(first.header("idempotency-replayed")).isNull();
        assertThat(EventStore.history(SCHEMA, id).stream().filter(e -> e.payload().contains("\"STOP\""))).hasSize(1);
    }

    @Test
    void aCreateRepeatedWithItsKeyMakesOneInstance() {
        String key = key();
        String body = "{\"name\":\"idem\",\"flavor\":\"m1\"}";

        Api.Response first = Api.as("alice").header("Idempotency-Key", key).post(a, "/v1/instances", body);
        Api.Response again = Api.as("alice").header("Idempotency-Key", key).post(b, "/v1/instances", body);

        assertThat(first.status()).isEqualTo(201);
        assertThat(again.status()).isEqualTo(201);
        assertThat(again.field("id")).isEqualTo(first.field("id"));
        assertThat(EventStore.history(SCHEMA, first.field("id"))).hasSize(1);
    }

    @Test
    void aRefusalIsReplayedToo() {
        String id = Instances.active(a, "alice");
        String key = key();

        Api.Response first = Api.as("alice").header("Idempotency-Key", key)
                .post(a, "/v1/instances/" + id + "/actions/start", "{}");
        Api.Response again = Api.as("alice").header("Idempotency-Key", key)
                .post(b, "/v1/instances/" + id + "/actions/start", "{}");

        assertThat(first.status()).isEqualTo(409);
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.problemType()).isEqualTo("invalid-state");
        assertThat(again.header("idempotency-replayed")).isEqualTo("true");
    }

    @Test
    void theSameKeyForADifferentRequestIsRefusedAndChangesNothing() {
        String id = Instances.active(a, "alice");
        String key = key();
        Api.as("alice").header("Idempotency-Key", key).post(a, "/v1/instances/" + id + "/actions/lock", "{}");
        int before = EventStore.history(SCHEMA, id).size();

        Api.Response reused = Api.as("alice").header("Idempotency-Key", key)
                .post(b, "/v1/instances/" + id + "/actions/unlock", "{}");

        assertThat(reused.status()).isEqualTo(422);
        assertThat(reused.problemType()).isEqualTo("idempotency-key-reuse");
        assertThat(EventStore.history(SCHEMA, id)).hasSize(before);
    }

    @Test
    void keysBelongToTheirCaller() {
        String key = key();

        Api.Response alices = Api.as("alice").header("Idempotency-Key", key)
                .post(a, "/v1/instances", "{\"name\":\"mine\",\"flavor\":\"m1\"}");
        Api.Response bobs = Api.as("bob").header("Idempotency-Key", key)
                .post(a, "/v1/instances", "{\"name\":\"theirs\",\"flavor\":\"m1\"}");

        assertThat(alices.status()).isEqualTo(201);
        assertThat(bobs.status()).isEqualTo(201);
        assertThat(bobs.field("id")).isNotEqualTo(alices.field("id"));
        assertThat(bobs.field("tenant")).isEqualTo("globex");
    }

    @Test
    void aDuplicateOfARequestStillRunningElsewhereIsRequestInProgress() {
        String id = Instances.active(a, "alice");
        String key = key();
        String path = "/v1/instances/" + id + "/actions/stop";
        // Stand in for a first request that replica A is still working on.
        a.bean(IdempotencyStore.class).claim("alice", key,
                Idempotency.fingerprint("POST", path, null, null, "{}".getBytes(StandardCharsets.UTF_8)));

        Api.Response duplicate = Api.as("alice").header("Idempotency-Key", key).post(b, path, "{}");

        assertThat(duplicate.status()).isEqualTo(409);
        assertThat(duplicate.problemType()).isEqualTo("request-in-progress");
        assertThat(duplicate.field("retryable")).isEqualTo("true");
        assertThat(EventStore.history(SCHEMA, id).stream().filter(e -> e.payload().contains("\"STOP\""))).isEmpty();
    }

    @Test
    void aClaimAbandonedByADeadProcessIsTakenOverAfterItsLease() throws Exception {
        String id = Instances.active(a, "alice");
        String key = key();
        String path = "/v1/instances/" + id + "/actions/stop";
        // a first request whose replica died mid-way, two minutes ago: its claim was never settled
        a.bean(IdempotencyStore.class).claim("alice", key,
                Idempotency.fingerprint("POST", path, null, null, "{}".getBytes(StandardCharsets.UTF_8)));
        try (Connection c = TestDatabase.connect(SCHEMA);
             PreparedStatement s = c.prepareStatement("update idempotency_key set created_at = now() - interval '2 minutes' "
                     + "where principal = 'alice' and idem_key = ?")) {
            s.setString(1, key);
            assertThat(s.executeUpdate()).isEqualTo(1);
        }

        Api.Response retry = Api.as("alice").header("Idempotency-Key", key).post(b, path, "{}");

        assertThat(retry.status()).as(retry.text()).isEqualTo(202);
        assertThat(retry.field("taskState")).isEqualTo("POWERING_OFF");
    }

    @Test
    void anExpiredKeyCanBeUsedAfresh() throws Exception {
        String id = Instances.active(a, "alice");
        String key = key();
        Api.as("alice").header("Idempotency-Key", key).post(a, "/v1/instances/" + id + "/actions/lock", "{}");
        try (Connection c = TestDatabase.connect(SCHEMA);
             PreparedStatement s = c.prepareStatement("update idempotency_key set expires_at = now() - interval '1 minute' "
                     + "where principal = 'alice' and idem_key = ?")) {
            s.setString(1, key);
            assertThat(s.executeUpdate()).isEqualTo(1);
        }

        Api.Response fresh = Api.as("alice").header("Idempotency-Key", key)
                .post(b, "/v1/instances/" + id + "/actions/unlock", "{}");

        assertThat(fresh.status()).isEqualTo(200);
        assertThat(fresh.field("locked")).isEqualTo("false");
        assertThat(fresh.header("idempotency-replayed")).isNull();
    }
}
