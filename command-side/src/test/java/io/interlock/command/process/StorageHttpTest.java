package io.interlock.command.process;

import io.interlock.command.support.Api;
import io.interlock.command.support.EventStore;
import io.interlock.command.support.Instances;
import io.interlock.command.support.Storage;
import io.interlock.command.support.TwoReplicaTest;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.interlock.command.support.ProblemAssertions.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Nodes, subsystems, namespaces and placement over HTTP on two replicas: the whole lifecycle,
 * and the problems each step can give. Every refused request must leave the event store as it was.
 */
class StorageHttpTest extends TwoReplicaTest {

    private static List<String> types(String aggregateId) {
        return EventStore.history(SCHEMA, aggregateId).stream().map(EventStore.StoredEvent::shortType).toList();
    }

    @Test
    void aNamespaceRunsFromAllocationToRemovalAndTheEmptySubsystemGivesItsSlotBack() {
        String node = Storage.node(a, "alice", 2);
        String nqn = Storage.subsystem(b, "alice", node, 4);
        String path = "/v1/subsystems/" + nqn + "/namespaces/";

        Api.Response first = Storage.allocate(a, "alice", nqn, "lvol-a");
        assertThat(first.status()).as(first.text()).isEqualTo(201);
        assertThat(first.field("nsid")).isEqualTo("1");
        assertThat(first.field("status")).isEqualTo("IN_CREATION");
        assertThat(first.header("etag")).isEqualTo("\"1\"");
        Api.Response repeat = Storage.allocate(b, "alice", nqn, "lvol-a");
        assertThat(repeat.status()).isEqualTo(200);
        assertThat(repeat.field("nsid")).isEqualTo("1");
        assertThat(Storage.allocate(a, "alice", nqn, "lvol-b").field("nsid")).isEqualTo("2");

        Api.Response online = Api.as("agent").post(b, "/v1/subsystems/acme:" + nqn + "/namespaces/lvol-a/online");
        assertThat(online.status()).as(online.text()).isEqualTo(200);
        assertThat(online.field("status")).isEqualTo("ONLINE");
        Api.Response released = Api.as("alice").delete(a, path + "lvol-a");
        assertThat(released.status()).isEqualTo(200);
        assertThat(released.field("status")).isEqualTo("IN_DELETION");
        assertThat(released.field("liveNamespaces")).isEqualTo("1");

        assertProblem(Api.as("alice").delete(b, "/v1/subsystems/" + nqn), 409, "invalid-state");
        assertThat(Api.as("agent").post(a, "/v1/subsystems/acme:" + nqn + "/namespaces/lvol-a/removed").status()).isEqualTo(200);
        assertThat(Api.as("alice").delete(a, path + "lvol-b").status()).isEqualTo(200);
        assertThat(Api.as("agent").post(b, "/v1/subsystems/acme:" + nqn + "/namespaces/lvol-b/removed").status()).isEqualTo(200);

        Api.Response deleted = Api.as("alice").delete(b, "/v1/subsystems/" + nqn);
        assertThat(deleted.status()).as(deleted.text()).isEqualTo(200);
        assertThat(deleted.field("deleted")).isEqualTo("true");
        assertThat(types(node)).containsExactly("NodeRegistered", "SubsystemSlotClaimed", "SubsystemSlotReleased");
        Api.Response again = Api.as("alice").delete(a, "/v1/subsystems/" + nqn);
        assertThat(again.status()).as(again.text()).isEqualTo(200);
        assertThat(again.field("version")).isEqualTo(deleted.field("version"));
        assertThat(types(node)).hasSize(3);
        assertProblem(Storage.allocate(b, "alice", nqn, "lvol-c"), 409, "invalid-state");
        assertThat(Storage.assertSubsystemInvariants(SCHEMA, nqn)).isEqualTo(2);
    }

    @Test
    void aFullNodeRefusesASubsystemWithCapacityExhaustedAndCreatesNothing() {
        String node = Storage.node(a, "alice", 1);
        Storage.subsystem(a, "alice", node, 4);
        String nqn = Storage.newNqn(node);

        Api.Response refused = Api.as("alice").post(b, "/v1/subsystems",
                "{\"nqn\":\"" + nqn + "\",\"nodeId\":\"" + node + "\"}");

        assertProblem(refused, 409, "capacity-exhausted");
        assertThat(refused.field("resourceType")).isEqualTo("node");
        assertThat(refused.field("usedSubsystems")).isEqualTo("1");
        assertThat(EventStore.history(SCHEMA, nqn)).isEmpty();
        assertThat(types(node)).containsExactly("NodeRegistered", "SubsystemSlotClaimed");
    }

    @Test
    void anNqnThatExistsElsewhereIsAlreadyExistsAndTheClaimedSlotIsGivenBack() {
        String first = Storage.node(a, "alice", 2);
        String second = Storage.node(a, "alice", 2);
        String nqn = Storage.subsystem(a, "alice", first, 4);

        Api.Response again = Api.as("alice").post(b, "/v1/subsystems",
                "{\"nqn\":\"" + nqn + "\",\"nodeId\":\"" + second + "\"}");

        assertProblem(again, 409, "already-exists");
        assertThat(types(second)).containsExactly("NodeRegistered", "SubsystemSlotClaimed", "SubsystemSlotReleased");
        assertThat(Storage.assertNodeInvariants(SCHEMA, second)).isEmpty();
        assertThat(Storage.assertNodeInvariants(SCHEMA, first)).containsExactly("acme:" + nqn);
        assertThat(types(nqn)).containsExactly("SubsystemCreated");
    }

    @Test
    void moreThanFiftyNamespacesIsAValidationProblemAndChangesNothing() {
        String node = Storage.node(a, "alice", 2);
        String nqn = Storage.newNqn(node);

        Api.Response response = Api.as("alice").post(a, "/v1/subsystems",
                "{\"nqn\":\"" + nqn + "\",\"nodeId\":\"" + node + "\",\"maxNamespaces\":51}");

        assertProblem(response, 400, "validation");
        assertThat(response.json().get("errors").findValuesAsString("field")).contains("maxNamespaces");
        assertThat(EventStore.history(SCHEMA, nqn)).isEmpty();
        assertThat(types(node)).containsExactly("NodeRegistered");
    }

    @Test
    void aMalformedNqnOrLvolIsAValidationProblem() {
        String node = Storage.node(a, "alice", 2);
        assertProblem(Api.as("alice").post(a, "/v1/subsystems",
                "{\"nqn\":\"not-an-nqn\",\"nodeId\":\"" + node + "\"}"), 400, "validation");
        String nqn = Storage.subsystem(a, "alice", node, 4);
        assertProblem(Storage.allocate(a, "alice", nqn, "bad lvol"), 400, "validation");
        assertProblem(Api.as("alice").post(a, "/v1/nodes/" + node + "/placements", "{\"lvolId\":\"l1\"}"),
                400, "validation");
        assertThat(types(nqn)).containsExactly("SubsystemCreated");
    }

    @Test
    void anUnknownSubsystemIsNotFound() {
        String nqn = "nqn.2026-01.io.interlock.test:nobody-" + System.nanoTime();
        assertProblem(Storage.allocate(a, "alice", nqn, "lvol-a"), 404, "not-found");
        assertProblem(Api.as("alice").delete(b, "/v1/subsystems/" + nqn), 404, "not-found");
        assertProblem(Api.as("agent").post(a, "/v1/subsystems/acme:" + nqn + "/namespaces/lvol-a/online"), 404,
                "not-found");
        assertThat(EventStore.history(SCHEMA, nqn)).isEmpty();
    }

    @Test
    void anUnknownNamespaceAndAnUnknownNodeAreNotFound() {
        String node = Storage.node(a, "alice", 2);
        String nqn = Storage.subsystem(a, "alice", node, 4);
        assertProblem(Api.as("alice").delete(a, "/v1/subsystems/" + nqn + "/namespaces/lvol-x"), 404, "not-found");
        assertProblem(Api.as("alice").post(b, "/v1/nodes/no-such-node/placements",
                "{\"lvolId\":\"lvol-a\",\"namespaced\":true}"), 404, "not-found");
        assertThat(types(nqn)).containsExactly("SubsystemCreated");
        assertThat(EventStore.history(SCHEMA, "placement:no-such-node/lvol-a")).isEmpty();
    }

    /** Ids are one space in the event store; an instance is no node, and a node is no instance. */
    @Test
    void anIdThatNamesAnotherKindOfResourceIsNotFoundAndUntouched() {
        String node = Storage.node(a, "alice", 2);
        String instance = Instances.active(a, "alice");
        int instanceEvents = EventStore.history(SCHEMA, instance).size();

        assertProblem(Api.as("alice").post(b, "/v1/nodes/" + instance + "/placements",
                "{\"lvolId\":\"lvol-a\",\"namespaced\":true}"), 404, "not-found");
        assertProblem(Api.as("alice").post(a, "/v1/subsystems",
                "{\"nqn\":\"" + Storage.newNqn(instance) + "\",\"nodeId\":\"" + instance + "\"}"), 404, "not-found");
        assertProblem(Api.as("alice").post(b, "/v1/instances/" + node + "/actions/stop", "{}"), 404, "not-found");
        assertProblem(Api.as("agent").post(a, "/v1/instances/acme:" + node + "/tasks/t-1/complete"), 404, "not-found");
        assertProblem(Api.as("alice").post(b, "/v1/nodes", "{\"nodeId\":\"" + instance + "\"}"), 409,
                "already-exists");

        assertThat(EventStore.history(SCHEMA, instance)).hasSize(instanceEvents);
        assertThat(EventStore.history(SCHEMA, "placement:" + instance + "/lvol-a")).isEmpty();
        assertThat(types(node)).containsExactly("NodeRegistered");
    }

    @Test
    void anotherTenantsSubsystemAndNodeAreNotFoundAndUntouched() {
        String node = Storage.node(a, "alice", 2);
        String nqn = Storage.subsystem(a, "alice", node, 4);

        assertProblem(Storage.allocate(b, "bob", nqn, "lvol-a"), 404, "not-found");
        assertProblem(Api.as("bob").post(a, "/v1/nodes/" + node + "/placements",
                "{\"lvolId\":\"lvol-a\",\"namespaced\":true}"), 404, "not-found");
        assertProblem(Api.as("bob").post(a, "/v1/subsystems",
                "{\"nqn\":\"" + Storage.newNqn(node) + "\",\"nodeId\":\"" + node + "\"}"), 404, "not-found");

        assertThat(types(nqn)).containsExactly("SubsystemCreated");
        assertThat(types(node)).containsExactly("NodeRegistered", "SubsystemSlotClaimed");
        assertThat(EventStore.history(SCHEMA, "placement:" + node + "/lvol-a")).isEmpty();
    }

    @Test
    void aStaleIfMatchOnAnAllocationIsVersionMismatch() {
        String node = Storage.node(a, "alice", 2);
        String nqn = Storage.subsystem(a, "alice", node, 4);
        Storage.allocate(a, "alice", nqn, "lvol-a");

        Api.Response stale = Api.as("alice").header("If-Match", "\"0\"").post(b,
                "/v1/subsystems/" + nqn + "/namespaces", "{\"lvolId\":\"lvol-b\"}");

        assertProblem(stale, 412, "version-mismatch");
        assertThat(types(nqn)).containsExactly("SubsystemCreated", "NamespaceAllocated");
    }

    @Test
    void placementFillsASharedSubsystemAndANonNamespacedVolumeGetsOneOfItsOwn() {
        String node = Storage.node(a, "alice", 3);
        String place = "/v1/nodes/" + node + "/placements";

        Api.Response first = Api.as("alice").post(a, place, "{\"lvolId\":\"lvol-1\",\"namespaced\":true}");
        Api.Response second = Api.as("alice").post(b, place, "{\"lvolId\":\"lvol-2\",\"namespaced\":true}");
        Api.Response repeat = Api.as("alice").post(a, place, "{\"lvolId\":\"lvol-1\",\"namespaced\":true}");
        Api.Response own = Api.as("alice").post(b, place, "{\"lvolId\":\"lvol-3\",\"namespaced\":false}");

        assertThat(first.status()).as(first.text()).isEqualTo(201);
        assertThat(first.field("nqn")).startsWith("nqn.2026-01.io.interlock:" + node + ":");
        assertThat(first.field("nsid")).isEqualTo("1");
        assertThat(second.status()).as(second.text()).isEqualTo(201);
        assertThat(second.field("nqn")).isEqualTo(first.field("nqn"));
        assertThat(second.field("nsid")).isEqualTo("2");
        assertThat(repeat.status()).as(repeat.text()).isEqualTo(200);
        assertThat(repeat.field("nqn")).isEqualTo(first.field("nqn"));
        assertThat(repeat.field("nsid")).isEqualTo("1");
        assertThat(own.status()).as(own.text()).isEqualTo(201);
        assertThat(own.field("nqn")).isNotEqualTo(first.field("nqn"));
        assertThat(own.field("nsid")).isEqualTo("1");
        assertThat(Storage.payload(EventStore.history(SCHEMA, own.field("nqn")).get(0)).get("dedicated").asBoolean())
                .isTrue();
        assertThat(Storage.assertNodeInvariants(SCHEMA, node)).hasSize(2);

        // The dedicated subsystem is never a candidate for a shared placement.
        Api.Response third = Api.as("alice").post(a, place, "{\"lvolId\":\"lvol-4\",\"namespaced\":true}");
        assertThat(third.field("nqn")).isEqualTo(first.field("nqn"));

        // A second dedicated subsystem takes the last slot; a third finds the node full.
        assertThat(Api.as("alice").post(a, place, "{\"lvolId\":\"lvol-5\",\"namespaced\":false}").status())
                .isEqualTo(201);
        Api.Response full = Api.as("alice").post(b, place, "{\"lvolId\":\"lvol-6\",\"namespaced\":false}");
        assertProblem(full, 409, "capacity-exhausted");
        assertThat(full.field("resourceId")).isEqualTo(node);
        assertThat(full.field("action")).isEqualTo("place");
        assertThat(Storage.assertNodeInvariants(SCHEMA, node)).hasSize(3);
    }

    /**
     * A placement is the lvol's on that node until its namespace is removed: while the namespace is
     * being deleted placing it again is a retryable 409, and once removed it is placed anew.
     */
    @Test
    void aRemovedNamespaceFreesItsLvolToBePlacedAgain() {
        String node = Storage.node(a, "alice", 3);
        String place = "/v1/nodes/" + node + "/placements";
        String body = "{\"lvolId\":\"lvol-r\",\"namespaced\":true}";
        Api.Response first = Api.as("alice").post(a, place, body);
        assertThat(first.status()).as(first.text()).isEqualTo(201);
        String namespace = "/v1/subsystems/" + first.field("nqn") + "/namespaces/lvol-r";

        assertThat(Api.as("alice").delete(b, namespace).status()).isEqualTo(200);
        Api.Response whileDeleting = Api.as("alice").post(b, place, body);
        assertProblem(whileDeleting, 409, "invalid-state");
        assertThat(whileDeleting.field("retryable")).isEqualTo("true");

        // the agent serves every tenant, so it names the subsystem's tenant
        assertThat(Api.as("agent").post(a, "/v1/subsystems/acme:" + first.field("nqn") + "/namespaces/lvol-r/removed")
                .status()).isEqualTo(200);
        Api.Response again = Api.as("alice").post(b, place, body);
        assertThat(again.status()).as(again.text()).isEqualTo(201);
        assertThat(again.field("nqn")).isEqualTo(first.field("nqn"));
        Api.Response repeat = Api.as("alice").post(a, place, body);
        assertThat(repeat.status()).as(repeat.text()).isEqualTo(200);
        assertThat(repeat.field("nsid")).isEqualTo(again.field("nsid"));

        List<EventStore.StoredEvent> claims = EventStore.history(SCHEMA, "placement:acme:" + node + "/lvol-r");
        assertThat(claims.stream().map(EventStore.StoredEvent::shortType))
                .containsExactly("LvolPlacementClaimed", "LvolPlaced", "LvolPlacementClaimed", "LvolPlaced");
        assertThat(Storage.payload(claims.get(2)).get("replaces").asString())
                .isEqualTo(Storage.payload(claims.get(0)).get("placementId").asString());
        assertThat(Storage.assertNodeInvariants(SCHEMA, node)).hasSize(1);
    }
    /**
     * An lvol has at most one live namespace on a node however it gets there: a direct allocation
     * in another subsystem of the node is refused, whether the lvol was placed or allocated directly.
     */
    @Test
    void aDirectAllocationOfAnLvolLiveInAnotherSubsystemOfTheNodeIsAlreadyExistsAndWritesNothing() {
        String node = Storage.node(a, "alice", 4);
        Api.Response placed = Api.as("alice").post(a, "/v1/nodes/" + node + "/placements",
                "{\"lvolId\":\"lvol-p\",\"namespaced\":true}");
        assertThat(placed.status()).as(placed.text()).isEqualTo(201);
        String direct = Storage.subsystem(b, "alice", node, 4);
        String other = Storage.subsystem(a, "alice", node, 4);
        assertThat(Storage.allocate(a, "alice", direct, "lvol-d").status()).isEqualTo(201);
        long head = EventStore.head(SCHEMA);

        Api.Response onPlaced = Storage.allocate(b, "alice", direct, "lvol-p");
        assertProblem(onPlaced, 409, "already-exists");
        assertThat(onPlaced.field("placedIn")).isEqualTo(placed.field("nqn"));
        assertThat(onPlaced.field("retryable")).isEqualTo("false");
        Api.Response onDirect = Storage.allocate(a, "alice", other, "lvol-d");
        assertProblem(onDirect, 409, "already-exists");
        assertThat(onDirect.field("placedIn")).isEqualTo(direct);

        assertThat(EventStore.head(SCHEMA)).isEqualTo(head);
        assertThat(types(direct)).containsExactly("SubsystemCreated", "NamespaceAllocated");
        assertThat(types(other)).containsExactly("SubsystemCreated");
        // the repeat on its own subsystem is still the same namespace
        Api.Response repeat = Storage.allocate(b, "alice", direct, "lvol-d");
        assertThat(repeat.status()).as(repeat.text()).isEqualTo(200);
        assertThat(repeat.field("nsid")).isEqualTo("1");
        assertThat(EventStore.head(SCHEMA)).isEqualTo(head);
    }

    /** A direct allocation takes the lvol's claim on the node, so a later placement answers that namespace. */
    @Test
    void aPlacementAfterADirectAllocationAnswersItsNamespace() {
        String node = Storage.node(a, "alice", 4);
        String nqn = Storage.subsystem(a, "alice", node, 4);
        assertThat(Storage.allocate(a, "alice", nqn, "lvol-x").status()).isEqualTo(201);
        Api.Response direct = Storage.allocate(b, "alice", nqn, "lvol-d");
        assertThat(direct.status()).as(direct.text()).isEqualTo(201);

        Api.Response placed = Api.as("alice").post(b, "/v1/nodes/" + node + "/placements",
                "{\"lvolId\":\"lvol-d\",\"namespaced\":true}");

        assertThat(placed.status()).as(placed.text()).isEqualTo(200);
        assertThat(placed.field("nqn") + "#" + placed.field("nsid")).isEqualTo(nqn + "#" + direct.field("nsid"));
        List<EventStore.StoredEvent> claim = EventStore.history(SCHEMA, "placement:acme:" + node + "/lvol-d");
        assertThat(claim.stream().map(EventStore.StoredEvent::shortType))
                .containsExactly("LvolPlacementClaimed", "LvolPlaced");
        assertThat(Storage.payload(claim.get(1)).get("nqn").asString()).isEqualTo("acme:" + nqn);
        assertThat(Storage.payload(claim.get(1)).get("nsid").asInt()).isEqualTo(2);
        assertThat(Storage.assertNodeInvariants(SCHEMA, node)).hasSize(1);
    }
}
