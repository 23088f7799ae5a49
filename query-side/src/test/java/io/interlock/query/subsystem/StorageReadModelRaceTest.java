package io.interlock.query.subsystem;

import io.interlock.command.support.Api;
import io.interlock.command.support.Races;
import io.interlock.command.support.Replica;
import io.interlock.command.support.Storage;
import io.interlock.query.support.QueryApp;
import io.interlock.query.support.Stack;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Race catalogue 4, the read model's part: after 64 parallel allocations on one
 * subsystem with 32 slots, the read model shows exactly 32 used and no repeated nsid. The
 * two-replica race itself is the command side's StorageRaceTest.
 */
class StorageReadModelRaceTest {

    private static Replica command;
    private static QueryApp query;

    @BeforeAll
    static void stack() {
        command = Stack.command();
        query = Stack.query();
    }

    @Test
    void sixtyFourAllocationsOnThirtyTwoSlotsShowThirtyTwoUsed() throws Exception {
        String node = Storage.node(command, "alice", 4);
        String nqn = Storage.subsystem(command, "alice", node, 32);

        List<Api.Response> responses = Races.race(64, i -> Storage.allocate(command, "alice", nqn, "lvol-" + i));

        assertThat(responses.stream().collect(Collectors.groupingBy(Api.Response::status, Collectors.counting())))
                .as(responses.toString()).containsExactlyInAnyOrderEntriesOf(Map.of(201, 32L, 409, 32L));
        // created at version 0, then one event per successful allocation
        Api.Response view = Api.as("alice").get(query, "/v1/subsystems/" + nqn + "?minVersion=32");
        assertThat(view.status()).as(view.text()).isEqualTo(200);
        JsonNode subsystem = view.json();
        assertThat(subsystem.get("version").asLong()).isEqualTo(32);
        assertThat(subsystem.get("liveNamespaces").asInt()).isEqualTo(32);
        assertThat(subsystem.get("maxNamespaces").asInt()).isEqualTo(32);
        List<Integer> nsids = subsystem.get("namespaces").findValues("nsid").stream().map(JsonNode::asInt).toList();
        assertThat(nsids).doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(IntStream.rangeClosed(1, 32).boxed().toList());
        List<String> winners = responses.stream().filter(r -> r.status() == 201).map(r -> r.field("lvolId")).toList();
        assertThat(subsystem.get("namespaces").findValuesAsString("lvolId"))
                .containsExactlyInAnyOrderElementsOf(winners);

        assertThat(Api.as("alice").get(query, "/v1/subsystems?full=true&nodeId=" + node).json().get("items")
                .findValuesAsString("nqn")).containsExactly(nqn);
        // utilisation also reads the node's read model, projected by a processor of its own:
        // wait until it has the slot claim (version 1) too
        assertThat(Api.as("alice").get(query, "/v1/nodes/" + node + "?minVersion=1").status()).isEqualTo(200);
        JsonNode use = Api.as("alice").get(query, "/v1/utilisation?nodeId=" + node).json();
        assertThat(use.get("totals").get("liveNamespaces").asLong()).isEqualTo(32);
        assertThat(use.get("totals").get("maxNamespaces").asLong()).isEqualTo(32);
        assertThat(use.get("nodes").get(0).get("usedSubsystems").asInt()).isEqualTo(1);
    }
}
