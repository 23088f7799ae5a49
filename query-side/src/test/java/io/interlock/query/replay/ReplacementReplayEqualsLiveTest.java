package io.interlock.query.replay;

import io.interlock.command.support.Api;
import io.interlock.command.support.Replacements;
import io.interlock.command.support.Replica;
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

import static io.interlock.command.support.Replacements.step;
import static io.interlock.command.support.Replacements.transition;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The volume and replacement read models, rebuilt from the event store, equal the live ones row
 * for row and column for column (steps JSON and fold state included). A few dozen commands cover
 * every event type, unwinds and the deletion saga; the instance test carries the big workload.
 */
class ReplacementReplayEqualsLiveTest {

    private static final List<String> PROJECTIONS = List.of("volume-projection", "replacement-projection");

    @Test
    void replayedVolumeAndReplacementReadModelsEqualTheLiveOnes() throws Exception {
        Replica command = Stack.command();
        QueryApp query = Stack.query();
        for (int i = 0; i < 4; i++) {
            workload(command, i);
        }

        awaitQuietAndCaughtUp(query);
        List<List<Object>> volumes = snapshot("select * from volume_view order by volume_id");
        List<List<Object>> replacements = snapshot("select * from replacement_view order by request_id");
        assertThat(replacements).hasSizeGreaterThanOrEqualTo(8);
        assertThat(volumes).hasSizeGreaterThanOrEqualTo(20);

        // spoil the live tables, so only a real rebuild from the event store can restore them
        execute("update replacement_view set state = 'COMPLETE', steps = '[]' where request_id = '"
                + replacements.get(0).get(0) + "'");
        execute("update volume_view set lock_holder = 'nobody' where volume_id = '" + volumes.get(0).get(0) + "'");
        for (String projection : PROJECTIONS) {
            Api.Response replay = Api.as("admin").post(query, "/v1/admin/projections/" + projection + "/replay");
            assertThat(replay.status()).as(replay.text()).isEqualTo(202);
        }
        awaitQuietAndCaughtUp(query);

        assertThat(snapshot("select * from volume_view order by volume_id")).isEqualTo(volumes);
        assertThat(snapshot("select * from replacement_view order by request_id")).isEqualTo(replacements);
        assertThat(Api.as("alice").get(query, "/v1/replacements").status()).isEqualTo(200);
        assertThat(Api.as("alice").get(query, "/v1/volumes").status()).isEqualTo(200);
    }

    /** About a dozen commands per round: the happy path with steps, an unwind, deletions, a shortcut. */
    private static void workload(Replica command, int round) {
        String saga = "s-" + round;
        String full = Replacements.requested(command);
        ok(transition(command, full, "begin-allocation", saga));
        ok(transition(command, full, "undo-allocation", saga));
        Replacements.running(command, full, saga);
        String kept = Replacements.volume(command);
        String doomed = Replacements.volume(command);
        String running = Replacements.volume(command);
        ok(Replacements.addStep(command, full, kept));
        ok(Replacements.addStep(command, full, doomed));
        ok(Replacements.addStep(command, full, running));
        ok(step(command, full, kept, "begin", "st-" + saga));
        ok(step(command, full, kept, "complete", "st-" + saga));
        ok(step(command, full, kept, "volume-deleted", "gc-" + saga));
        ok(step(command, full, running, "begin", "st2-" + saga));
        // deleted under a REQUESTED step: the deletion saga settles it
        ok(Api.as("alice").post(command, "/v1/volumes/" + doomed + "/delete", "{\"hard\":" + (round % 2 == 0) + "}"));
        ok(Api.as("agent").post(command, "/v1/replacements/" + full + "/target-deleted"));

        String shortcut = Replacements.requested(command);
        ok(transition(command, shortcut, "complete-from-requested", "s-short-" + round));
    }

    private static void ok(Api.Response response) {
        assertThat(response.status()).as(response.text()).isIn(200, 201);
    }

    /**
     * Waits until both projections have read up to the store's head and the head has stopped
     * moving (the deletion saga may still be sending its commands).
     */
    private static void awaitQuietAndCaughtUp(QueryApp query) throws InterruptedException {
        Instant giveUp = Instant.now().plus(Duration.ofSeconds(90));
        long lastHead = -1;
        int quietChecks = 0;
        JsonNode status = null;
        while (Instant.now().isBefore(giveUp)) {
            boolean caughtUp = true;
            long head = -1;
            for (String projection : PROJECTIONS) {
                status = Api.as("admin").get(query, "/v1/admin/projections/" + projection).json();
                caughtUp &= !status.get("rebuilding").asBoolean()
                        && status.get("position").asLong() >= status.get("head").asLong()
                        && status.get("claimedSegments").asInt() == status.get("segments").asInt();
                head = Math.max(head, status.get("head").asLong());
            }
            quietChecks = caughtUp && head == lastHead ? quietChecks + 1 : 0;
            if (quietChecks >= 3) {
                return;
            }
            lastHead = head;
            Thread.sleep(200);
        }
        throw new AssertionError("The projections did not catch up; last status " + status);
    }

    private static void execute(String sql) throws Exception {
        try (Connection c = TestDatabase.connect(Stack.SCHEMA); Statement s = c.createStatement()) {
            assertThat(s.executeUpdate(sql)).isEqualTo(1);
        }
    }

    private static List<List<Object>> snapshot(String sql) throws Exception {
        try (Connection c = TestDatabase.connect(Stack.SCHEMA); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
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
