package io.interlock.query.access;

import io.interlock.command.support.Api;
import io.interlock.command.support.Instances;
import io.interlock.command.support.Replica;
import io.interlock.query.support.QueryApp;
import io.interlock.query.support.Stack;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each tenant has its own id space, over real HTTP on both apps: a member cannot tell another
 * tenant's resource from a missing one by any answer, no answer names another tenant's resource,
 * and the roles that serve every tenant address each tenant's resource by {@code <tenant>:<id>}.
 */
class TenancyTest {

    private static Replica command;
    private static QueryApp query;

    /** What each resource type's create looks like, for an id. */
    private static final Map<String, String> CREATES = Map.of(
            "instances", "{\"id\":\"%s\",\"name\":\"n\",\"flavor\":\"m1\"}",
            "shares", "{\"id\":\"%s\",\"size\":10,\"protocol\":\"NFS\"}",
            "nodes", "{\"nodeId\":\"%s\",\"maxSubsystems\":4}");

    @BeforeAll
    static void stack() {
        command = Stack.command();
        query = Stack.query();
    }

    private static String idOf(String type, Api.Response answer) {
        return answer.field(type.equals("nodes") ? "nodeId" : "id");
    }

    private static Api.Response create(String user, String type, String id) {
        return Api.as(user).post(command, "/v1/" + type, CREATES.get(type).formatted(id));
    }

    private static Api.Response read(String user, String type, String id) {
        return Api.as(user).get(query, "/v1/" + type + "/" + id + "?minVersion=0");
    }

    @Test
    void aMemberCreatingWithAnotherTenantsIdGetsWhatAFreshIdGets() {
        for (String type : List.of("instances", "shares", "nodes")) {
            String taken = Instances.newId("iso");
            Api.Response alices = create("alice", type, taken);
            assertThat(alices.status()).as(type + " " + alices.text()).isEqualTo(201);

            Api.Response bobsSame = create("bob", type, taken);
            Api.Response bobsFresh = create("bob", type, Instances.newId("iso"));

            assertThat(bobsSame.status()).as(type + " " + bobsSame.text()).isEqualTo(bobsFresh.status()).isEqualTo(201);
            assertThat(bobsSame.problemType()).isNull();
            assertThat(idOf(type, bobsSame)).isEqualTo(taken);
            assertThat(bobsSame.field("tenant")).isEqualTo("globex");
            assertThat(bobsSame.header("location")).isEqualTo("/v1/" + type + "/" + taken);
            assertThat(bobsSame.json().propertyNames().stream().toList())
                    .isEqualTo(bobsFresh.json().propertyNames().stream().toList());

            // two resources: each member reads its own, by the same bare id, and never the other's
            Api.Response alicesView = read("alice", type, taken);
            Api.Response bobsView = read("bob", type, taken);
            assertThat(alicesView.status()).as(type + " " + alicesView.text()).isEqualTo(200);
            assertThat(bobsView.status()).as(type + " " + bobsView.text()).isEqualTo(200);
            assertThat(alicesView.field("tenant")).isEqualTo("acme");
            assertThat(bobsView.field("tenant")).isEqualTo("globex");
            assertThat(idOf(type, alicesView)).isEqualTo(idOf(type, bobsView)).isEqualTo(taken);

            // the roles that serve every tenant reach each of them by naming the tenant
            for (String crossTenant : List.of("admin", "agent", "auditor")) {
                assertThat(read(crossTenant, type, "acme:" + taken).field("tenant")).as(crossTenant).isEqualTo("acme");
                assertThat(read(crossTenant, type, "globex:" + taken).field("tenant")).as(crossTenant)
                        .isEqualTo("globex");
                assertThat(read(crossTenant, type, taken).problemType()).as(crossTenant).isEqualTo("validation");
            }
            // a member naming another tenant only ever names something inside its own
            assertThat(Api.as("bob").get(query, "/v1/" + type + "/acme:" + taken).status()).isEqualTo(404);
        }
    }

    @Test
    void changesReachOnlyTheCallersOwnResource() {
        String id = Instances.newId("iso");
        Api.Response alices = create("alice", "instances", id);
        Api.Response bobs = create("bob", "instances", id);
        // the agent serves both tenants: it finishes each spawn by naming the tenant
        assertThat(Api.as("agent").post(command, "/v1/instances/acme:" + id + "/tasks/" + alices.field("taskId")
                + "/complete").field("tenant")).isEqualTo("acme");
        Api.Response bobsActive = Api.as("agent").post(command, "/v1/instances/globex:" + id + "/tasks/"
                + bobs.field("taskId") + "/complete");
        assertThat(bobsActive.status()).as(bobsActive.text()).isEqualTo(200);
        assertThat(bobsActive.field("id")).isEqualTo(id);
        assertThat(Api.as("agent").post(command, "/v1/instances/" + id + "/tasks/" + bobs.field("taskId")
                + "/complete").problemType()).isEqualTo("validation");

        Api.Response stopped = Api.as("bob").post(command, "/v1/instances/" + id + "/actions/stop", "{}");
        assertThat(stopped.status()).as(stopped.text()).isEqualTo(202);
        Api.Response reset = Api.as("admin").post(command, "/v1/instances/acme:" + id + "/actions/reset-state",
                "{\"vmState\":\"ERROR\"}");
        assertThat(reset.status()).as(reset.text()).isEqualTo(200);

        Api.Response alicesView = Api.as("alice").get(query, "/v1/instances/" + id + "?minVersion=2");
        Api.Response bobsView = Api.as("bob").get(query, "/v1/instances/" + id + "?minVersion=2");
        assertThat(alicesView.field("vmState")).isEqualTo("ERROR");
        assertThat(alicesView.field("taskState")).isNull();
        assertThat(bobsView.field("vmState")).isEqualTo("ACTIVE");
        assertThat(bobsView.field("taskState")).isEqualTo("POWERING_OFF");
    }

    @Test
    void aMemberSeesOnlyBareIdsOfItsOwnTenant() {
        String id = Instances.newId("iso");
        create("alice", "instances", id);
        create("bob", "instances", id);
        Api.as("alice").get(query, "/v1/instances/" + id + "?minVersion=0");
        Api.as("bob").get(query, "/v1/instances/" + id + "?minVersion=0");

        for (String member : List.of("alice", "bob")) {
            JsonNode items = Api.as(member).get(query, "/v1/instances?size=500&sort=updatedAt,desc").json().get("items");
            List<String> tenants = new ArrayList<>();
            List<String> ids = new ArrayList<>();
            items.forEach(i -> {
                tenants.add(i.get("tenant").asString());
                ids.add(i.get("id").asString());
            });
            assertThat(tenants).containsOnly(Api.TENANTS.get(member));
            assertThat(ids).contains(id).allSatisfy(i -> assertThat(i).doesNotContain(":"));
        }
        JsonNode every = Api.as("admin").get(query, "/v1/instances?size=500&sort=updatedAt,desc").json().get("items");
        List<String> both = new ArrayList<>();
        every.forEach(i -> {
            if (i.get("id").asString().equals(id)) {
                both.add(i.get("tenant").asString());
            }
        });
        assertThat(both).containsExactlyInAnyOrder("acme", "globex");
    }

    @Test
    void subsystemsAreNamedInTheirNodesTenant() {
        String node = Instances.newId("iso-node");
        String nqn = "nqn.2026-01.io.interlock.test:" + Instances.newId("iso");
        for (String member : List.of("alice", "bob")) {
            assertThat(create(member, "nodes", node).status()).isEqualTo(201);
            Api.Response subsystem = Api.as(member).post(command, "/v1/subsystems",
                    "{\"nqn\":\"" + nqn + "\",\"nodeId\":\"" + node + "\"}");
            assertThat(subsystem.status()).as(member + " " + subsystem.text()).isEqualTo(201);
            assertThat(subsystem.field("nqn")).isEqualTo(nqn);
            assertThat(subsystem.field("nodeId")).isEqualTo(node);
            Api.Response placed = Api.as(member).post(command, "/v1/nodes/" + node + "/placements",
                    "{\"lvolId\":\"lv-1\",\"namespaced\":false}");
            assertThat(placed.status()).as(placed.text()).isEqualTo(201);
            assertThat(placed.field("nqn")).startsWith("nqn.2026-01.io.interlock:" + node + ":");
            assertThat(placed.field("nodeId")).isEqualTo(node);
        }
        Api.Response namespace = Api.as("admin").post(command, "/v1/subsystems/globex:" + nqn + "/namespaces",
                "{\"lvolId\":\"lv-2\"}");
        assertThat(namespace.status()).as(namespace.text()).isEqualTo(201);
        Api.Response online = Api.as("agent").post(command, "/v1/subsystems/globex:" + nqn + "/namespaces/lv-2/online");
        assertThat(online.field("status")).isEqualTo("ONLINE");
        Api.Response alices = Api.as("alice").get(query, "/v1/subsystems/" + nqn + "?minVersion=0");
        assertThat(alices.json().get("namespaces")).isEmpty();
        Api.Response bobs = Api.as("bob").get(query, "/v1/subsystems/" + nqn + "?minVersion=2");
        assertThat(bobs.json().get("namespaces")).hasSize(1);
        assertThat(bobs.field("nodeId")).isEqualTo(node);
        JsonNode bobsNode = Api.as("bob").get(query, "/v1/nodes/" + node + "?minVersion=0").json();
        bobsNode.get("subsystems").forEach(s -> assertThat(s.asString()).doesNotStartWith("globex:"));
        assertThat(Api.as("alice").get(query, "/v1/utilisation?nodeId=" + node).json().get("nodes").get(0)
                .get("tenant").asString()).isEqualTo("acme");
    }

    @Test
    void anExportPathIsRefusedAlikeWhoeverManagesItAndNamesNoShare() {
        String path = "/export/" + Instances.newId("iso");
        String alicesShare = Instances.newId("iso-managed");
        Api.Response managed = Api.as("alice").post(command, "/v1/shares",
                "{\"id\":\"" + alicesShare + "\",\"manage\":{\"exportPath\":\"" + path + "\"}}");
        assertThat(managed.status()).as(managed.text()).isEqualTo(201);

        Api.Response bobs = Api.as("bob").post(command, "/v1/shares",
                "{\"id\":\"b-1\",\"manage\":{\"exportPath\":\"" + path + "\"}}");
        Api.Response alicesAgain = Api.as("alice").post(command, "/v1/shares",
                "{\"id\":\"b-1\",\"manage\":{\"exportPath\":\"" + path + "\"}}");

        assertThat(bobs.status()).isEqualTo(409);
        assertThat(bobs.text()).doesNotContain(alicesShare).doesNotContain("acme");
        assertThat(bobs.field("detail")).isEqualTo("Export path " + path + " is not available");
        for (String field : List.of("type", "status", "detail", "resourceType", "resourceId", "action", "exportPath")) {
            assertThat(bobs.field(field)).as(field).isEqualTo(alicesAgain.field(field));
        }
        assertThat(bobs.json().propertyNames().stream().toList())
                .isEqualTo(alicesAgain.json().propertyNames().stream().toList());
    }

    @Test
    void aShareIsCopiedOnlyFromItsOwnTenantsSnapshot() {
        String source = Instances.newId("iso-src");
        Api.Response created = create("alice", "shares", source);
        Api.as("agent").post(command, "/v1/shares/acme:" + source + "/tasks/" + created.field("taskId") + "/complete");
        Api.Response snapshotting = Api.as("alice").post(command, "/v1/shares/" + source + "/snapshots",
                "{\"snapshotId\":\"s-1\",\"name\":\"n\"}");
        Api.as("agent").post(command, "/v1/shares/acme:" + source + "/tasks/" + snapshotting.field("taskId")
                + "/complete");

        Api.Response bobs = Api.as("bob").post(command, "/v1/shares",
                "{\"id\":\"copy\",\"sourceShareId\":\"" + source + "\",\"snapshotId\":\"s-1\"}");
        assertThat(bobs.status()).isEqualTo(404);
        assertThat(bobs.text()).doesNotContain("acme");
        Api.Response admins = Api.as("admin").post(command, "/v1/shares",
                "{\"id\":\"copy\",\"sourceShareId\":\"acme:" + source + "\",\"snapshotId\":\"s-1\",\"tenant\":\"globex\"}");
        assertThat(admins.problemType()).isEqualTo("validation");
        Api.Response alices = Api.as("admin").post(command, "/v1/shares",
                "{\"id\":\"" + Instances.newId("copy") + "\",\"sourceShareId\":\"acme:" + source
                        + "\",\"snapshotId\":\"s-1\"}");
        assertThat(alices.status()).as(alices.text()).isEqualTo(201);
        assertThat(alices.field("tenant")).isEqualTo("acme");
        assertThat(alices.field("sourceShareId")).isEqualTo(source);
        assertThat(alices.header("location")).isEqualTo("/v1/shares/acme:" + alices.field("id"));
    }
}
