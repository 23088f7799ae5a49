package io.interlock.query.subsystem;

import io.interlock.command.support.Api;
import io.interlock.command.support.Replica;
import io.interlock.command.support.Storage;
import io.interlock.query.support.QueryApp;
import io.interlock.query.support.Stack;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The node, subsystem and utilisation query API over HTTP, fed by a real command side through
 * the event store.
 */
class StorageQueryTest {

    private static Replica command;
    private static QueryApp query;

    @BeforeAll
    static void stack() {
        command = Stack.command();
        query = Stack.query();
    }

    /** Reads a row once the read model has reached {@code version}. */
    private static Api.Response seen(String user, String path, long version) {
        Api.Response view = Api.as(user).get(query, path + "?minVersion=" + version);
        assertThat(view.status()).as(view.text()).isEqualTo(200);
        return view;
    }

    private static long allocate(String user, String nqn, String lvolId) {
        Api.Response allocated = Storage.allocate(command, user, nqn, lvolId);
        assertThat(allocated.status()).as(allocated.text()).isEqualTo(201);
        return Long.parseLong(allocated.field("version"));
    }

    private static long change(String user, String method, String path) {
        Api.Response changed = Api.as(user).send(command, method, path, null, null);
        assertThat(changed.status()).as(changed.text()).isEqualTo(200);
        return Long.parseLong(changed.field("version"));
    }

    private static JsonNode nodeUse(String user, String nodeId) {
        Api.Response utilisation = Api.as(user).get(query, "/v1/utilisation?nodeId=" + nodeId);
        assertThat(utilisation.status()).as(utilisation.text()).isEqualTo(200);
        JsonNode nodes = utilisation.json().get("nodes");
        assertThat(nodes).hasSize(1);
        return nodes.get(0);
    }

    @Test
    void utilisationFollowsAllocationsReleasesAndDeletes() {
        String node = Storage.node(command, "alice", 2);
        String nqn = Storage.subsystem(command, "alice", node, 4);
        allocate("alice", nqn, "lv-a");
        allocate("alice", nqn, "lv-b");
        allocate("alice", nqn, "lv-c");
        change("agent", "POST", "/v1/subsystems/acme:" + nqn + "/namespaces/lv-a/online");
        long released = change("alice", "DELETE", "/v1/subsystems/" + nqn + "/namespaces/lv-b");
        String spare = Storage.subsystem(command, "alice", node, 8);
        long deleted = change("alice", "DELETE", "/v1/subsystems/" + spare);

        JsonNode subsystem = seen("alice", "/v1/subsystems/" + nqn, released).json();
        assertThat(subsystem.get("liveNamespaces").asInt()).isEqualTo(2);
        assertThat(subsystem.get("maxNamespaces").asInt()).isEqualTo(4);
        assertThat(subsystem.get("status").asString()).isEqualTo("ACTIVE");
        assertThat(subsystem.get("tenant").asString()).isEqualTo("acme");
        assertThat(subsystem.get("namespaces").findValuesAsString("lvolId")).containsExactly("lv-a", "lv-b", "lv-c");
        assertThat(subsystem.get("namespaces").findValues("nsid").stream().map(JsonNode::asInt).toList())
                .containsExactly(1, 2, 3);
        assertThat(subsystem.get("namespaces").findValuesAsString("status"))
                .containsExactly("ONLINE", "IN_DELETION", "IN_CREATION");
        assertThat(subsystem.get("namespaces").get(2).get("allowedActions").toString())
                .isEqualTo("[\"online\",\"release\"]");
        assertThat(seen("alice", "/v1/subsystems/" + spare, deleted).field("status")).isEqualTo("DELETED");

        // register, claim, claim, release
        JsonNode nodeRow = seen("alice", "/v1/nodes/" + node, 3).json();
        assertThat(nodeRow.get("usedSubsystems").asInt()).isEqualTo(1);
        assertThat(nodeRow.get("maxSubsystems").asInt()).isEqualTo(2);
        assertThat(nodeRow.get("subsystems").valueStream().map(JsonNode::asString).toList()).containsExactly(nqn);

        JsonNode use = nodeUse("alice", node);
        assertThat(use.get("usedSubsystems").asInt()).isEqualTo(1);
        assertThat(use.get("maxSubsystems").asInt()).isEqualTo(2);
        assertThat(use.get("liveNamespaces").asInt()).isEqualTo(2);
        assertThat(use.get("maxNamespaces").asInt()).isEqualTo(4);
        assertThat(use.get("subsystems").findValuesAsString("nqn")).containsExactly(nqn);
        assertThat(use.get("subsystems").get(0).get("liveNamespaces").asInt()).isEqualTo(2);

        // the agent reports lv-b removed: still 2 used, and the nsid is free again
        long removed = change("agent", "POST", "/v1/subsystems/acme:" + nqn + "/namespaces/lv-b/removed");
        long reused = allocate("alice", nqn, "lv-d");
        assertThat(reused).isGreaterThan(removed);
        JsonNode after = seen("alice", "/v1/subsystems/" + nqn, reused).json();
        assertThat(after.get("liveNamespaces").asInt()).isEqualTo(3);
        assertThat(after.get("namespaces").toString()).contains("\"lvolId\":\"lv-d\",\"nsid\":2");
        assertThat(nodeUse("alice", node).get("liveNamespaces").asInt()).isEqualTo(3);
    }

    @Test
    void readYourWritesWithMinVersion() {
        String node = Storage.node(command, "alice", 1);
        String nqn = Storage.subsystem(command, "alice", node, 32);
        Api.Response allocated = Storage.allocate(command, "alice", nqn, "lv-a");
        long version = Long.parseLong(allocated.field("version"));

        Api.Response view = Api.as("alice").get(query, "/v1/subsystems/" + nqn + "?minVersion=" + version);

        assertThat(view.status()).as(view.text()).isEqualTo(200);
        assertThat(view.field("version")).isEqualTo(String.valueOf(version));
        assertThat(view.header("etag")).isEqualTo("\"" + version + "\"");
        assertThat(view.field("liveNamespaces")).isEqualTo("1");
        Api.Response never = Api.as("alice").get(query, "/v1/subsystems/" + nqn + "?minVersion=99");
        assertThat(never.status()).isEqualTo(503);
        assertThat(never.problemType()).isEqualTo("not-yet-projected");
        assertThat(never.field("retryable")).isEqualTo("true");
        Api.Response nodeNever = Api.as("alice").get(query, "/v1/nodes/" + node + "?minVersion=99");
        assertThat(nodeNever.problemType()).isEqualTo("not-yet-projected");
        assertThat(Api.as("alice").get(query, "/v1/subsystems/nqn.2026-01.nowhere:none").status()).isEqualTo(404);
        assertThat(Api.as("alice").get(query, "/v1/nodes/no-such-node").status()).isEqualTo(404);
    }

    @Test
    void filtersPagingAndSorting() {
        String node = Storage.node(command, "bob", 3);
        String full = Storage.subsystem(command, "bob", node, 1);
        String draining = Storage.subsystem(command, "bob", node, 4);
        String empty = Storage.subsystem(command, "bob", node, 2);
        allocate("bob", full, "lv-a");
        allocate("bob", draining, "lv-b");
        allocate("bob", draining, "lv-c");
        long released = change("bob", "DELETE", "/v1/subsystems/" + draining + "/namespaces/lv-b");
        seen("bob", "/v1/subsystems/" + full, 1);
        seen("bob", "/v1/subsystems/" + draining, released);
        seen("bob", "/v1/nodes/" + node, 3);
        String q = "/v1/subsystems?nodeId=" + node;

        assertThat(ids(Api.as("bob").get(query, q + "&full=true"))).containsExactly(full);
        assertThat(ids(Api.as("bob").get(query, q + "&full=false"))).containsExactlyInAnyOrder(draining, empty);
        assertThat(ids(Api.as("bob").get(query, q + "&namespaceStatus=IN_DELETION"))).containsExactly(draining);
        assertThat(ids(Api.as("bob").get(query, q + "&namespaceStatus=IN_CREATION,ONLINE")))
                .containsExactlyInAnyOrder(full, draining);
        assertThat(ids(Api.as("bob").get(query, q + "&status=DELETED"))).isEmpty();
        assertThat(ids(Api.as("bob").get(query, q + "&dedicated=false&status=ACTIVE"))).hasSize(3);

        Api.Response first = Api.as("bob").get(query, q + "&sort=freeNamespaces,desc&size=2&page=0");
        Api.Response second = Api.as("bob").get(query, q + "&sort=freeNamespaces,desc&size=2&page=1");
        assertThat(ids(first)).containsExactly(draining, empty); // 3 free, then 2
        assertThat(ids(second)).containsExactly(full);
        assertThat(first.json().get("totalItems").asLong()).isEqualTo(3);
        assertThat(first.json().get("totalPages").asLong()).isEqualTo(2);

        String roomy = Storage.node(command, "bob", 5);
        seen("bob", "/v1/nodes/" + roomy, 0);
        List<String> fullNodes = ids(Api.as("bob").get(query, "/v1/nodes?full=true&size=500"), "nodeId");
        assertThat(fullNodes).contains(node).doesNotContain(roomy);
        List<String> byFree = ids(Api.as("bob").get(query, "/v1/nodes?sort=freeSubsystems,desc&size=500"), "nodeId");
        assertThat(byFree.indexOf(roomy)).isLessThan(byFree.indexOf(node));
        Api.Response nodePage = Api.as("bob").get(query, "/v1/nodes?sort=id,desc&size=1&page=0");
        assertThat(ids(nodePage, "nodeId")).hasSize(1);
        assertThat(nodePage.json().get("totalPages").asLong()).isEqualTo(nodePage.json().get("totalItems").asLong());
    }

    @Test
    void membersSeeTheirOwnTenantOnly() {
        String node = Storage.node(command, "alice", 1);
        String nqn = Storage.subsystem(command, "alice", node, 32);
        seen("alice", "/v1/subsystems/" + nqn, 0);
        seen("alice", "/v1/nodes/" + node, 1);

        assertThat(Api.as("bob").get(query, "/v1/subsystems/" + nqn).status()).isEqualTo(404);
        assertThat(Api.as("bob").get(query, "/v1/nodes/" + node).status()).isEqualTo(404);
        assertThat(ids(Api.as("bob").get(query, "/v1/subsystems?size=500"))).doesNotContain(nqn);
        assertThat(ids(Api.as("bob").get(query, "/v1/subsystems?tenant=acme&size=500"))).isEmpty();
        assertThat(ids(Api.as("bob").get(query, "/v1/nodes?tenant=acme&size=500"), "nodeId")).isEmpty();
        assertThat(Api.as("bob").get(query, "/v1/utilisation?nodeId=" + node).json().get("nodes")).isEmpty();
        assertThat(Api.as("bob").get(query, "/v1/utilisation").json().get("nodes").findValuesAsString("tenant"))
                .containsOnly("globex");

        assertThat(Api.as("admin").get(query, "/v1/subsystems/acme:" + nqn).status()).isEqualTo(200);
        assertThat(Api.as("agent").get(query, "/v1/nodes/acme:" + node).status()).isEqualTo(200);
        assertThat(ids(Api.as("admin").get(query, "/v1/subsystems?tenant=acme&nodeId=acme:" + node))).containsExactly(nqn);
        assertThat(nodeUse("admin", "acme:" + node).get("tenant").asString()).isEqualTo("acme");
    }

    @Test
    void badQueriesAreValidationProblems() {
        for (String bad : List.of("status=FLYING", "namespaceStatus=GONE", "full=maybe", "dedicated=2",
                "size=0", "size=501", "page=-1", "sort=password", "sort=id,sideways", "sort=fold_state")) {
            Api.Response response = Api.as("alice").get(query, "/v1/subsystems?" + bad);
            assertThat(response.status()).as(bad).isEqualTo(400);
            assertThat(response.problemType()).as(bad).isEqualTo("validation");
        }
        for (String bad : List.of("full=maybe", "sort=nqn", "size=0", "sort=id,up")) {
            Api.Response response = Api.as("alice").get(query, "/v1/nodes?" + bad);
            assertThat(response.status()).as(bad).isEqualTo(400);
            assertThat(response.problemType()).as(bad).isEqualTo("validation");
        }
        assertThat(Api.anonymous().get(query, "/v1/utilisation").problemType()).isEqualTo("unauthenticated");
    }

    @Test
    void statsCountNodesSubsystemsAndNamespaces() {
        String node = Storage.node(command, "alice", 1);
        String nqn = Storage.subsystem(command, "alice", node, 1);
        seen("alice", "/v1/subsystems/" + nqn, 0);
        seen("alice", "/v1/nodes/" + node, 1);
        JsonNode before = Api.as("alice").get(query, "/v1/stats").json();

        long version = allocate("alice", nqn, "lv-a");
        seen("alice", "/v1/subsystems/" + nqn, version);
        JsonNode after = Api.as("alice").get(query, "/v1/stats").json();

        assertThat(after.has("instances")).isTrue();
        assertThat(count(after.get("nodes"), "full", "true")).isGreaterThanOrEqualTo(1);
        assertThat(count(after.get("subsystems"), "status", "ACTIVE")).isGreaterThanOrEqualTo(1);
        assertThat(count(after.get("subsystems"), "namespaceStatus", "IN_CREATION"))
                .isEqualTo(count(before.get("subsystems"), "namespaceStatus", "IN_CREATION") + 1);
        assertThat(count(after.get("subsystems"), "full", "true"))
                .isEqualTo(count(before.get("subsystems"), "full", "true") + 1);
    }

    @Test
    void aNamespaceLeftWaitingForTheAgentIsStuck() throws Exception {
        String node = Storage.node(command, "alice", 1);
        String nqn = Storage.subsystem(command, "alice", node, 4);
        long version = allocate("alice", nqn, "lv-a");
        seen("alice", "/v1/subsystems/" + nqn, version);
        Thread.sleep(1100);

        JsonNode recent = Api.as("alice").get(query, "/v1/stuck?olderThan=PT1S").json();
        JsonNode old = Api.as("alice").get(query, "/v1/stuck?olderThan=PT1H").json();

        assertThat(recent.get("items").findValuesAsString("id")).contains(nqn);
        assertThat(recent.get("items").toString()).contains("namespace lv-a IN_CREATION");
        assertThat(old.get("items").findValuesAsString("id")).doesNotContain(nqn);
        long online = change("agent", "POST", "/v1/subsystems/acme:" + nqn + "/namespaces/lv-a/online");
        seen("alice", "/v1/subsystems/" + nqn, online);
        assertThat(Api.as("alice").get(query, "/v1/stuck?olderThan=PT0S").json().get("items")
                .findValuesAsString("id")).doesNotContain(nqn);
    }

    @Test
    void theAuditTrailOfASubsystemAndANode() {
        String node = Storage.node(command, "alice", 2);
        String nqn = Storage.subsystem(command, "alice", node, 4);
        allocate("alice", nqn, "lv-a");
        change("agent", "POST", "/v1/subsystems/acme:" + nqn + "/namespaces/lv-a/online");
        change("alice", "DELETE", "/v1/subsystems/" + nqn + "/namespaces/lv-a");

        Api.Response history = Api.as("auditor").get(query, "/v1/audit/subsystems/acme:" + nqn + "/events");

        assertThat(history.status()).as(history.text()).isEqualTo(200);
        assertThat(history.json().findValuesAsString("type")).containsExactly("SubsystemCreated",
                "NamespaceAllocated", "NamespaceOnline", "NamespaceReleased");
        assertThat(history.json().get(1).get("payload").get("nsid").asInt()).isEqualTo(1);
        assertThat(history.json().get(1).get("metadata").get("principal").asString()).isEqualTo("alice");
        assertThat(history.json().get(2).get("metadata").get("principal").asString()).isEqualTo("agent");

        JsonNode asOf = Api.as("auditor").get(query, "/v1/audit/subsystems/acme:" + nqn + "/state?version=2").json();
        assertThat(asOf.get("state").get("namespaces").get("lv-a").get("status").asString()).isEqualTo("ONLINE");
        assertThat(asOf.get("state").get("maxNamespaces").asInt()).isEqualTo(4);

        Api.Response nodeHistory = Api.as("admin").get(query, "/v1/audit/nodes/acme:" + node + "/events");
        assertThat(nodeHistory.json().findValuesAsString("type")).containsExactly("NodeRegistered",
                "SubsystemSlotClaimed");
        assertThat(Api.as("auditor").get(query, "/v1/audit/nodes/acme:" + nqn + "/events").status()).isEqualTo(404);
        assertThat(Api.as("alice").get(query, "/v1/audit/subsystems/" + nqn + "/events").status()).isEqualTo(403);
    }

    private static long count(JsonNode stats, String field, String value) {
        JsonNode n = stats.get(field).get(value);
        return n == null ? 0 : n.asLong();
    }

    private static List<String> ids(Api.Response page) {
        return ids(page, "nqn");
    }

    private static List<String> ids(Api.Response page, String field) {
        assertThat(page.status()).as(page.text()).isEqualTo(200);
        return page.json().get("items").findValuesAsString(field);
    }
}
