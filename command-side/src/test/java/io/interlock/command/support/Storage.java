package io.interlock.command.support;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Short ways to set up nodes and subsystems over HTTP, and to check their invariants in the event store. */
public final class Storage {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private Storage() {
    }

    public static String node(Replica replica, String owner, int maxSubsystems) {
        String nodeId = Instances.newId("node");
        Api.Response created = Api.as(owner).post(replica, "/v1/nodes",
                "{\"nodeId\":\"" + nodeId + "\",\"maxSubsystems\":" + maxSubsystems + "}");
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        return nodeId;
    }

    public static String newNqn(String nodeId) {
        return "nqn.2026-01.io.interlock.test:" + Instances.newId(nodeId);
    }

    public static String subsystem(Replica replica, String owner, String nodeId, int maxNamespaces) {
        String nqn = newNqn(nodeId);
        Api.Response created = Api.as(owner).post(replica, "/v1/subsystems",
                "{\"nqn\":\"" + nqn + "\",\"nodeId\":\"" + Api.ref(owner, owner, nodeId) + "\",\"maxNamespaces\":"
                        + maxNamespaces + "}");
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        return nqn;
    }

    public static Api.Response allocate(Replica replica, String user, String nqn, String lvolId) {
        return Api.as(user).post(replica, "/v1/subsystems/" + nqn + "/namespaces", "{\"lvolId\":\"" + lvolId + "\"}");
    }

    public static JsonNode payload(EventStore.StoredEvent event) {
        return JSON.readTree(event.payload());
    }

    /**
     * Replays a subsystem's history event by event and asserts the storage invariants at every step: live
     * namespaces never exceed maxNamespaces and no two namespaces share an nsid. Returns how many
     * namespaces were ever allocated.
     */
    public static int assertSubsystemInvariants(String schema, String nqn) {
        List<EventStore.StoredEvent> history = EventStore.history(schema, nqn);
        assertThat(history).as("history of " + nqn).isNotEmpty();
        int max = payload(history.get(0)).get("maxNamespaces").asInt();
        Map<String, Integer> nsidByLvol = new HashMap<>();
        Set<String> inDeletion = new HashSet<>();
        int allocated = 0;
        for (EventStore.StoredEvent event : history) {
            JsonNode p = payload(event);
            switch (event.shortType()) {
                case "NamespaceAllocated" -> {
                    allocated++;
                    int nsid = p.get("nsid").asInt();
                    assertThat(nsidByLvol.values()).as("nsid " + nsid + " repeated in " + nqn).doesNotContain(nsid);
                    nsidByLvol.put(p.get("lvolId").asString(), nsid);
                }
                case "NamespaceReleased" -> inDeletion.add(p.get("lvolId").asString());
                case "NamespaceRemoved" -> {
                    nsidByLvol.remove(p.get("lvolId").asString());
                    inDeletion.remove(p.get("lvolId").asString());
                }
                default -> {
                }
            }
            assertThat(nsidByLvol.size() - inDeletion.size()).as("live namespaces of " + nqn).isLessThanOrEqualTo(max);
        }
        return allocated;
    }

    /** Replays a node's history and asserts it never held more than maxSubsystems slots; returns the nqns held now. */
    public static Set<String> assertNodeInvariants(String schema, String nodeId) {
        List<EventStore.StoredEvent> history = EventStore.history(schema, nodeId);
        int max = payload(history.get(0)).get("maxSubsystems").asInt();
        Set<String> held = new HashSet<>();
        for (EventStore.StoredEvent event : history) {
            switch (event.shortType()) {
                case "SubsystemSlotClaimed" -> assertThat(held.add(payload(event).get("nqn").asString())).isTrue();
                case "SubsystemSlotReleased" -> held.remove(payload(event).get("nqn").asString());
                default -> {
                }
            }
            assertThat(held.size()).as("slots held on " + nodeId).isLessThanOrEqualTo(max);
        }
        return held;
    }
}
