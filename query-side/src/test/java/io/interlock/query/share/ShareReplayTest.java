package io.interlock.query.share;

import io.interlock.command.support.Api;
import io.interlock.command.support.Instances;
import io.interlock.command.support.Replica;
import io.interlock.command.support.Shares;
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

import static org.assertj.core.api.Assertions.assertThat;

/** The share read model rebuilt from the event store equals the one built live, row for row. */
class ShareReplayTest {

    @Test
    void aReplayedShareReadModelEqualsTheLiveOne() throws Exception {
        Replica command = Stack.command();
        QueryApp query = Stack.query();
        for (int i = 0; i < 6; i++) {
            String owner = i % 2 == 0 ? "alice" : "bob";
            String id = Shares.available(command, owner);
            String snapshotId = Shares.snapshot(command, owner, id);
            for (int r = 0; r < 3; r++) {
                assertThat(Api.as(owner).post(command, "/v1/shares/" + id + "/access-rules",
                        "{\"accessType\":\"IP\",\"accessTo\":\"10.9." + i + "." + r + "\",\"level\":\"RW\"}").status())
                        .isEqualTo(202);
            }
            String syncId = Api.as("agent").post(command, "/v1/shares/" + Api.ref("agent", owner, id) + "/access-rules/sync").field("syncId");
            assertThat(syncId).isNotNull();
            if (i % 3 == 0) {
                assertThat(Api.as(owner).post(command, "/v1/shares", "{\"id\":\"" + Instances.newId("copy")
                        + "\",\"sourceShareId\":\"" + id + "\",\"snapshotId\":\"" + snapshotId + "\"}").status())
                        .isEqualTo(201);
            }
            if (i % 3 == 1) {
                assertThat(Api.as(owner).post(command, "/v1/shares/" + id + "/actions/extend", "{\"newSize\":99}")
                        .status()).isEqualTo(202);
            }
        }
        awaitCaughtUp(query);
        List<List<Object>> live = rows();
        assertThat(live).hasSizeGreaterThanOrEqualTo(8);

        Api.Response replay = Api.as("admin").post(query, "/v1/admin/projections/share-projection/replay");
        assertThat(replay.status()).as(replay.text()).isEqualTo(202);
        awaitCaughtUp(query);

        assertThat(rows()).isEqualTo(live);
    }

    private static void awaitCaughtUp(QueryApp query) throws InterruptedException {
        Instant giveUp = Instant.now().plus(Duration.ofSeconds(90));
        JsonNode status = null;
        while (Instant.now().isBefore(giveUp)) {
            status = Api.as("admin").get(query, "/v1/admin/projections/share-projection").json();
            boolean caughtUp = status.has("rebuilding") && !status.get("rebuilding").asBoolean()
                    && status.get("position").asLong() >= status.get("head").asLong()
                    && status.get("claimedSegments").asInt() == status.get("segments").asInt();
            if (caughtUp) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("The share projection did not catch up; last status " + status);
    }

    private static List<List<Object>> rows() throws Exception {
        try (Connection c = TestDatabase.connect(Stack.SCHEMA); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select * from share_view order by share_id")) {
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
