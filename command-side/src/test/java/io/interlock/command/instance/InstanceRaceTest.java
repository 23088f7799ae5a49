package io.interlock.command.instance;

import io.interlock.command.support.Api;
import io.interlock.command.support.EventStore;
import io.interlock.command.support.Instances;
import io.interlock.command.support.Races;
import io.interlock.command.support.Replica;
import io.interlock.command.support.TwoReplicas;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Race catalogue 1 and 7, over HTTP, against two command-side replicas that share
 * only the PostgreSQL event store.
 */
class InstanceRaceTest {

    private static final String SCHEMA = TwoReplicas.SCHEMA;

    @Test
    void thirtyTwoConcurrentShelvesAcrossTwoReplicasLetExactlyOneThrough() throws Exception {
        Replica a = TwoReplicas.a();
        Replica b = TwoReplicas.b();
        String id = Instances.active(a, "alice");

        List<Api.Response> responses = Races.race(32, i -> Api.as("alice")
                .post(i % 2 == 0 ? a : b, "/v1/instances/" + id + "/actions/shelve", "{}"));

        Map<Integer, Long> byStatus = responses.stream().collect(Collectors.groupingBy(Api.Response::status,
                Collectors.counting()));
        assertThat(byStatus).as(responses.toString()).containsExactlyInAnyOrderEntriesOf(Map.of(202, 1L, 409, 31L));
        assertThat(responses.stream().filter(r -> r.status() == 409).map(Api.Response::problemType))
                .containsOnly("invalid-state");
        assertThat(responses.stream().filter(r -> r.status() == 409).map(r -> r.field("taskState")))
                .containsOnly("SHELVING");
        long shelveStarts = EventStore.history(SCHEMA, id).stream()
                .filter(e -> e.shortType().equals("InstanceTaskStarted") && e.payload().contains("\"SHELVE\""))
                .count();
        assertThat(shelveStarts).isEqualTo(1);
    }

    @Test
    void aReportFromTheTaskAHardRebootSupersededIsStaleAndChangesNothing() {
        Replica a = TwoReplicas.a();
        Replica b = TwoReplicas.b();
        String id = Instances.active(a, "alice");

        Api.Response pausing = Api.as("alice").post(a, "/v1/instances/" + id + "/actions/pause", "{}");
        assertThat(pausing.status()).isEqualTo(202);
        assertThat(pausing.field("taskState")).isEqualTo("PAUSING");
        Api.Response rebooting = Api.as("alice").post(b, "/v1/instances/" + id + "/actions/reboot",
                "{\"type\":\"HARD\"}");
        assertThat(rebooting.status()).as(rebooting.text()).isEqualTo(202);
        assertThat(rebooting.field("taskState")).isEqualTo("REBOOTING_HARD");
        int eventsBefore = EventStore.history(SCHEMA, id).size();

        Api.Response stale = Api.as("agent").post(a,
                "/v1/instances/acme:" + id + "/tasks/" + pausing.field("taskId") + "/complete");

        assertThat(stale.status()).isEqualTo(409);
        assertThat(stale.problemType()).isEqualTo("stale-task");
        assertThat(stale.field("taskState")).isEqualTo("REBOOTING_HARD");
        assertThat(stale.field("vmState")).isEqualTo("ACTIVE");
        assertThat(stale.field("version")).isEqualTo(rebooting.field("version"));
        assertThat(EventStore.history(SCHEMA, id)).hasSize(eventsBefore);

        Api.Response rebooted = Api.as("agent").post(b,
                "/v1/instances/acme:" + id + "/tasks/" + rebooting.field("taskId") + "/complete");
        assertThat(rebooted.status()).isEqualTo(200);
        assertThat(rebooted.field("vmState")).isEqualTo("ACTIVE");
        assertThat(rebooted.field("taskState")).isNull();
    }

    /**
     * Lock commutes with itself, so every caller must get 200 even when the replicas collide on
     * the event store's unique key: the loser is retried and finds the instance already locked.
     */
    @Test
    void concurrentLocksFromBothReplicasAllSucceedWithOneEvent() throws Exception {
        Replica a = TwoReplicas.a();
        Replica b = TwoReplicas.b();
        String id = Instances.active(a, "alice");

        List<Api.Response> responses = Races.race(16, i -> Api.as("alice")
                .post(i % 2 == 0 ? a : b, "/v1/instances/" + id + "/actions/lock", "{}"));

        assertThat(responses).as(responses.toString()).allSatisfy(r -> {
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.field("locked")).isEqualTo("true");
        });
        assertThat(EventStore.history(SCHEMA, id).stream().filter(e -> e.shortType().equals("InstanceLocked")))
                .hasSize(1);
    }
}
