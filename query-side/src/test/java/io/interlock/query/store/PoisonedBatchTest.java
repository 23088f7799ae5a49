package io.interlock.query.store;

import io.interlock.command.support.Api;
import io.interlock.command.support.Instances;
import io.interlock.command.support.Replacements;
import io.interlock.command.support.Replica;
import io.interlock.command.support.TestDatabase;
import io.interlock.query.support.QueryApp;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An event a projection cannot write (a NUL in a string: PostgreSQL's text refuses 0x00) stops
 * that projection, loudly, at that event; no other row of its batch is lost, the other
 * projections keep going, and a replay stops at the same event again instead of skipping it.
 * The poison is written straight into the event store, as no command side should accept it.
 */
class PoisonedBatchTest {

    private static final String SCHEMA = TestDatabase.schema("query_poison");
    /** Rows and streams are keyed by the stored id: a tenant's, qualified. */
    private static final String POISON = "acme:vm-poison";
    private static Replica command;
    private static QueryApp query;

    @BeforeAll
    static void start() {
        command = Replica.start("poison", SCHEMA, Map.of());
    }

    @AfterAll
    static void stop() {
        if (query != null) {
            query.close();
        }
        command.close();
    }

    @Test
    void aPoisonedEventStopsItsProjectionLoudlyAndLosesNoOtherRow() throws Exception {
        // One batch: good instances before and after the poison, and other projections' events after it.
        List<String> good = new ArrayList<>();
        good.add("acme:" + Instances.active(command, "alice"));
        good.add("acme:" + Instances.active(command, "alice"));
        long poisonPosition = poison(good.get(0));
        for (int i = 0; i < 3; i++) {
            good.add("globex:" + Instances.active(command, "bob"));
        }
        String volume = Replacements.volume(command);
        // the query side starts on a store that already holds all of it: a single batch
        query = QueryApp.start(SCHEMA, Map.of());

        JsonNode failed = awaitStatus("instance-projection", "failed");
        assertThat(failed.get("failure").get("position").asLong()).isEqualTo(poisonPosition);
        assertThat(failed.get("failure").get("aggregateId").asString()).isEqualTo(POISON);
        assertThat(failed.get("failure").get("eventType").asString()).endsWith("InstanceCreated");
        assertThat(failed.get("error").asString()).isNotBlank();
        for (String id : good) {
            assertThat(rows("instance_view", "instance_id", id)).as(id + " was in the poisoned batch").isEqualTo(1);
        }
        assertThat(rows("instance_view", "instance_id", POISON)).isZero();
        assertThat(rows("volume_view", "volume_id", volume)).isEqualTo(1);
        assertThat(awaitStatus("volume-projection", "running").get("failure").isNull()).isTrue();
        assertThat(query.bean(MeterRegistry.class).get("interlock.projection.failed")
                .tag("projection", "instance-projection").gauge().value()).isEqualTo(1.0);

        // stopped: it applies nothing more, while the others keep going
        String later = "acme:" + Instances.active(command, "alice");
        String laterVolume = Replacements.volume(command);
        awaitRow("volume_view", "volume_id", laterVolume);
        assertThat(rows("instance_view", "instance_id", later)).isZero();
        assertThat(awaitStatus("instance-projection", "failed").get("failure").get("aggregateId").asString())
                .isEqualTo(POISON);

        // a replay stops at the same event again, and rebuilds every other row
        Api.Response replay = Api.as("admin").post(query, "/v1/admin/projections/instance-projection/replay");
        assertThat(replay.status()).as(replay.text()).isEqualTo(202);
        JsonNode again = awaitStatus("instance-projection", "failed");
        assertThat(again.get("failure").get("position").asLong()).isEqualTo(poisonPosition);
        good.add(later);
        for (String id : good) {
            awaitRow("instance_view", "instance_id", id);
        }
        assertThat(rows("instance_view", "instance_id", POISON)).isZero();
        awaitRow("volume_view", "volume_id", laterVolume);
    }

    /** An InstanceCreated like {@code model}'s, for another aggregate, whose name holds a NUL. */
    private static long poison(String model) throws SQLException {
        try (Connection c = TestDatabase.connect(SCHEMA); PreparedStatement s = c.prepareStatement("""
                insert into domain_event_entry (global_index, aggregate_identifier, sequence_number, type,
                    event_identifier, payload_type, payload_revision, payload, meta_data, time_stamp)
                select nextval('domain_event_entry_global_index_seq'), ?, 0, type, md5(random()::text),
                    payload_type, payload_revision,
                    convert_to(replace(replace(convert_from(payload, 'UTF8'), ?, ?), '"name":"test"',
                        '"name":"a\\u0000b"'), 'UTF8'),
                    meta_data, time_stamp
                from domain_event_entry where aggregate_identifier = ? and sequence_number = 0
                returning global_index""")) {
            s.setString(1, POISON);
            s.setString(2, '"' + model + '"');
            s.setString(3, '"' + POISON + '"');
            s.setString(4, model);
            try (var rs = s.executeQuery()) {
                assertThat(rs.next()).isTrue();
                return rs.getLong(1);
            }
        }
    }

    private static JsonNode awaitStatus(String projection, String status) throws InterruptedException {
        Instant giveUp = Instant.now().plus(Duration.ofSeconds(60));
        JsonNode last = null;
        while (Instant.now().isBefore(giveUp)) {
            last = Api.as("admin").get(query, "/v1/admin/projections/" + projection).json();
            if (status.equals(last.path("status").asString()) && last.get("position").asLong() > 0
                    && (!status.equals("running") || last.get("position").asLong() >= last.get("head").asLong())) {
                return last;
            }
            Thread.sleep(200);
        }
        throw new AssertionError(projection + " never became " + status + "; last status " + last);
    }

    private static void awaitRow(String table, String column, String id) throws InterruptedException {
        Instant giveUp = Instant.now().plus(Duration.ofSeconds(60));
        while (Instant.now().isBefore(giveUp)) {
            if (rows(table, column, id) == 1) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("No " + table + " row for " + id);
    }

    private static long rows(String table, String column, String id) {
        return io.interlock.command.support.EventStore.count(SCHEMA,
                "select count(*) from " + table + " where " + column + " = ?", id);
    }
}
