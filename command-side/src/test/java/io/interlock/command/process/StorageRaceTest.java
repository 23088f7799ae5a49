package io.interlock.command.process;

import io.interlock.command.support.Api;
import io.interlock.command.support.EventStore;
import io.interlock.command.support.Races;
import io.interlock.command.support.Storage;
import io.interlock.command.support.TwoReplicaTest;
import io.interlock.lifecycle.TenantIds;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Race catalogue 4 and racing placements, over HTTP, against two command-side
 * replicas that share only the PostgreSQL event store. There is no read model yet, so the
 * invariants are checked by replaying each aggregate's history from the event store.
 */
class StorageRaceTest extends TwoReplicaTest {

    private static Map<Integer, Long> byStatus(List<Api.Response> responses) {
        return responses.stream().collect(Collectors.groupingBy(Api.Response::status, Collectors.counting()));
    }

    private static long allocations(String nqn) {
        return EventStore.history(SCHEMA, nqn).stream().filter(e -> e.shortType().equals("NamespaceAllocated")).count();
    }

    @Test
    void sixtyFourAllocationsOnThirtyTwoSlotsGiveExactlyThirtyTwoAndNoRepeatedNsid() throws Exception {
        String node = Storage.node(a, "alice", 4);
        String nqn = Storage.subsystem(a, "alice", node, 32);

        List<Api.Response> responses = Races.race(64, i -> Storage.allocate(i % 2 == 0 ? a : b, "alice", nqn,
                "lvol-" + i));

        assertThat(byStatus(responses)).as(responses.toString())
                .containsExactlyInAnyOrderEntriesOf(Map.of(201, 32L, 409, 32L));
        assertThat(responses.stream().filter(r -> r.status() == 409).map(Api.Response::problemType))
                .containsOnly("capacity-exhausted");
        List<Integer> nsids = responses.stream().filter(r -> r.status() == 201)
                .map(r -> Integer.parseInt(r.field("nsid"))).toList();
        assertThat(nsids).doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(IntStream.rangeClosed(1, 32).boxed().toList());
        assertThat(allocations(nqn)).isEqualTo(32);
        assertThat(Storage.assertSubsystemInvariants(SCHEMA, nqn)).isEqualTo(32);
    }

    @Test
    void parallelAllocationsOnEightSubsystemsAllSucceed() throws Exception {
        String node = Storage.node(a, "alice", 8);
        List<String> nqns = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            nqns.add(Storage.subsystem(i % 2 == 0 ? a : b, "alice", node, 32));
        }

        List<Api.Response> responses = Races.race(64, i -> Storage.allocate(i % 2 == 0 ? a : b, "alice",
                nqns.get(i % 8), "lvol-" + i));

        assertThat(responses).as(responses.toString()).allSatisfy(r -> assertThat(r.status()).isEqualTo(201));
        for (String nqn : nqns) {
            Set<Integer> nsids = responses.stream().filter(r -> nqn.equals(r.field("nqn")))
                    .map(r -> Integer.parseInt(r.field("nsid"))).collect(Collectors.toSet());
            assertThat(nsids).as(nqn).containsExactlyInAnyOrderElementsOf(IntStream.rangeClosed(1, 8).boxed().toList());
            assertThat(Storage.assertSubsystemInvariants(SCHEMA, nqn)).isEqualTo(8);
        }
    }

    /**
     * Racers for one new lvol on both replicas: one placement is made, the others answer it (200,
     * the same nqn and nsid) or a retryable 409 while it is being made, and spend no slot.
     */
    @Test
    void sixteenPlacementsOfOneLvolOnANewNodeMakeOnePlacement() throws Exception {
        String node = Storage.node(a, "alice", 8);
        String place = "/v1/nodes/" + node + "/placements";
        String body = "{\"lvolId\":\"lv-same\",\"namespaced\":true}";

        List<Api.Response> responses = Races.race(16, i -> Api.as("alice").post(i % 2 == 0 ? a : b, place, body));

        List<Api.Response> answered = responses.stream().filter(r -> r.status() / 100 == 2).toList();
        assertThat(answered.stream().filter(r -> r.status() == 201)).as(responses.toString()).hasSize(1);
        assertThat(answered.stream().map(r -> r.field("nqn") + "#" + r.field("nsid")).distinct())
                .as(responses.toString()).hasSize(1);
        assertThat(responses).filteredOn(r -> r.status() / 100 != 2).as(responses.toString()).allSatisfy(r -> {
            assertThat(r.status()).isEqualTo(409);
            assertThat(r.field("retryable")).isEqualTo("true");
        });
        Set<String> held = Storage.assertNodeInvariants(SCHEMA, node);
        // the store keeps the subsystem in its node's tenant (acme); answers show the bare nqn
        assertThat(held).as("subsystems of " + node).containsExactly("acme:" + answered.get(0).field("nqn"));
        assertThat(Storage.assertSubsystemInvariants(SCHEMA, answered.get(0).field("nqn"))).isEqualTo(1);

        Api.Response again = Api.as("alice").post(b, place, body);
        assertThat(again.status()).as(again.text()).isEqualTo(200);
        assertThat(again.field("nqn") + "#" + again.field("nsid"))
                .isEqualTo(answered.get(0).field("nqn") + "#" + answered.get(0).field("nsid"));
    }

    @Test
    void aHundredPlacementsOnANodeOfThreeSubsystemsPlaceExactlyNinetySix() throws Exception {
        String node = Storage.node(a, "alice", 3);

        List<Api.Response> responses = Races.race(100, i -> Api.as("alice").post(i % 2 == 0 ? a : b,
                "/v1/nodes/" + node + "/placements", "{\"lvolId\":\"lvol-" + i + "\",\"namespaced\":true}"));

        assertThat(byStatus(responses)).as(responses.toString())
                .containsExactlyInAnyOrderEntriesOf(Map.of(201, 96L, 409, 4L));
        assertThat(responses.stream().filter(r -> r.status() == 409).map(Api.Response::problemType))
                .containsOnly("capacity-exhausted");
        assertThat(responses.stream().filter(r -> r.status() == 409).map(r -> r.field("action"))).containsOnly("place");
        assertThat(responses.stream().filter(r -> r.status() == 409).map(r -> r.field("usedSubsystems")))
                .containsOnly("3");
        List<String> placed = responses.stream().filter(r -> r.status() == 201)
                .map(r -> r.field("nqn") + "#" + r.field("nsid")).toList();
        assertThat(placed).doesNotHaveDuplicates();
        Map<String, Long> perSubsystem = responses.stream().filter(r -> r.status() == 201)
                .collect(Collectors.groupingBy(r -> r.field("nqn"), Collectors.counting()));
        assertThat(perSubsystem).hasSize(3).allSatisfy((nqn, count) -> assertThat(count).isEqualTo(32L));

        Set<String> held = Storage.assertNodeInvariants(SCHEMA, node);
        assertThat(held.stream().map(TenantIds::bare).toList()).containsExactlyInAnyOrderElementsOf(perSubsystem.keySet());
        int allocated = 0;
        for (String nqn : held) {
            allocated += Storage.assertSubsystemInvariants(SCHEMA, nqn);
        }
        assertThat(allocated).isEqualTo(96);
    }

    /**
     * Direct allocations of one lvol on two subsystems of one node, over both replicas: they take
     * the same claim as placements, so exactly one namespace is made and the others are refused.
     */
    @Test
    void directAllocationsOfOneLvolOnTwoSubsystemsOfANodeMakeOneNamespace() throws Exception {
        String node = Storage.node(a, "alice", 4);
        List<String> nqns = List.of(Storage.subsystem(a, "alice", node, 8), Storage.subsystem(b, "alice", node, 8));

        List<Api.Response> responses = Races.race(16, i -> Storage.allocate(i % 2 == 0 ? a : b, "alice",
                nqns.get(i / 2 % 2), "lv-one"));

        assertThat(allocations(nqns.get(0)) + allocations(nqns.get(1))).as(responses.toString()).isEqualTo(1);
        List<Api.Response> answered = responses.stream().filter(r -> r.status() / 100 == 2).toList();
        assertThat(answered.stream().filter(r -> r.status() == 201)).as(responses.toString()).hasSize(1);
        assertThat(answered.stream().map(r -> r.field("nqn") + "#" + r.field("nsid")).distinct())
                .as(responses.toString()).hasSize(1);
        String winner = answered.get(0).field("nqn");
        assertThat(responses).filteredOn(r -> r.status() / 100 != 2).as(responses.toString()).allSatisfy(r -> {
            assertThat(r.status()).isEqualTo(409);
            assertThat(r.problemType()).isIn("already-exists", "lock-held");
        });
        assertThat(responses).filteredOn(r -> "already-exists".equals(r.problemType())).allSatisfy(r ->
                assertThat(r.field("placedIn")).isEqualTo(winner));
        for (String nqn : nqns) {
            Storage.assertSubsystemInvariants(SCHEMA, nqn);
        }
    }
}
