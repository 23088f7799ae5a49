package io.interlock.query.replay;

import io.interlock.command.support.Api;
import io.interlock.command.support.Replica;
import io.interlock.command.support.Storage;
import io.interlock.command.support.TestDatabase;
import io.interlock.query.support.QueryApp;
import io.interlock.query.support.Stack;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The node and subsystem read models rebuilt from the event store equal the live ones, row for
 * row: every column, the namespaces' {@code since} times included, comes from the events.
 */
class StorageReplayEqualsLiveTest {

    private static final String[] NAMESPACE_STEPS = {"online", "release", "removed"};

    @Test
    void replayedNodeAndSubsystemModelsEqualTheLiveOnes() throws Exception {
        Replica command = Stack.command();
        QueryApp query = Stack.query();
        Random random = new Random(4242);
        List<String> nqns = new ArrayList<>();
        for (int n = 0; n < 3; n++) {
            String owner = n % 2 == 0 ? "alice" : "bob";
            String node = Storage.node(command, owner, 3);
            for (int s = 0; s < 2; s++) {
                nqns.add(Storage.subsystem(command, owner, node, 4));
            }
            Api.Response placed = Api.as(owner).post(command, "/v1/nodes/" + node + "/placements",
                    "{\"lvolId\":\"own-" + n + "\",\"namespaced\":false}");
            assertThat(placed.status()).as(placed.text()).isEqualTo(201);
        }
        int changed = 0;
        for (int i = 0; i < 150; i++) {
            int pick = random.nextInt(nqns.size());
            String nqn = nqns.get(pick);
            String owner = pick / 2 % 2 == 0 ? "alice" : "bob";
            String lvol = "lv-" + random.nextInt(6);
            Api.Response response = switch (random.nextInt(4)) {
                case 0 -> Storage.allocate(command, owner, nqn, lvol);
                default -> {
                    String step = NAMESPACE_STEPS[random.nextInt(NAMESPACE_STEPS.length)];
                    String path = "/v1/subsystems/" + nqn + "/namespaces/" + lvol;
                    yield step.equals("release") ? Api.as(owner).delete(command, path)
                            : Api.as("agent").post(command, "/v1/subsystems/" + Api.ref("agent", owner, nqn)
                                    + "/namespaces/" + lvol + "/" + step);
                }
            };
            assertThat(response.status()).as(response.text()).isIn(200, 201, 404, 409);
            changed += response.status() < 300 ? 1 : 0;
        }
        assertThat(changed).as("commands that were accepted").isGreaterThan(30);
        Api.Response deleted = Api.as("alice").delete(command, "/v1/subsystems/" + Storage.subsystem(command,
                "alice", Storage.node(command, "alice", 1), 2));
        assertThat(deleted.status()).as(deleted.text()).isEqualTo(200);

        awaitCaughtUp(query, "node-projection");
        awaitCaughtUp(query, "subsystem-projection");
        List<List<Object>> liveNodes = snapshot("node_view", "node_id");
        List<List<Object>> liveSubsystems = snapshot("subsystem_view", "nqn");
        assertThat(liveNodes).hasSizeGreaterThanOrEqualTo(4);
        assertThat(liveSubsystems).hasSizeGreaterThanOrEqualTo(10);

        for (String projection : List.of("node-projection", "subsystem-projection")) {
            Api.Response replay = Api.as("admin").post(query, "/v1/admin/projections/" + projection + "/replay");
            assertThat(replay.status()).as(replay.text()).isEqualTo(202);
        }
        awaitCaughtUp(query, "node-projection");
        awaitCaughtUp(query, "subsystem-projection");

        assertThat(snapshot("node_view", "node_id")).isEqualTo(liveNodes);
        assertThat(snapshot("subsystem_view", "nqn")).isEqualTo(liveSubsystems);
        assertThat(Api.as("alice").get(query, "/v1/utilisation").status()).isEqualTo(200);
    }

    private static void awaitCaughtUp(QueryApp query, String projection) throws InterruptedException {
        Instant giveUp = Instant.now().plus(Duration.ofSeconds(90));
        JsonNode status = null;
        while (Instant.now().isBefore(giveUp)) {
            status = Api.as("admin").get(query, "/v1/admin/projections/" + projection).json();
            boolean caughtUp = !status.get("rebuilding").asBoolean()
                    && status.get("position").asLong() >= status.get("head").asLong()
                    && status.get("claimedSegments").asInt() == status.get("segments").asInt();
            if (caughtUp) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError(projection + " did not catch up; last status " + status);
    }

    private static List<List<Object>> snapshot(String table, String key) throws Exception {
        try (Connection c = TestDatabase.connect(Stack.SCHEMA); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select * from " + table + " order by " + key)) {
            ResultSetMetaData meta = rs.getMetaData();
            List<List<Object>> rows = new ArrayList<>();
            while (rs.next()) {
                List<Object> row = new ArrayList<>();
                for (int i = 1; i <= meta.getColumnCount(); i++) {
                    row.add(rs.getObject(i));
                }
                rows.add(row);
            }
            return rows;
        }
    }
}
