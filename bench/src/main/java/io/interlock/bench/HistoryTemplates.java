package io.interlock.bench;

import io.interlock.command.support.Api;
import io.interlock.command.support.Replica;
import io.interlock.command.support.TestDatabase;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import static io.interlock.bench.AllocationBenchmark.expect;

/**
 * Real histories for the replay store to copy: each scenario runs over HTTP against the command
 * side, so every event in it was decided by an aggregate, then its events are read back from the
 * event store. Every id a scenario chooses contains {@link #MARKER}, which a copy replaces with its
 * own number; the ids the gateway chooses (task, rule and sync ids) are UUIDs, which a copy varies.
 */
final class HistoryTemplates {

    static final String MARKER = "zzzzzz";
    /** The tenant the templates are created in (alice's); a copy moves it to its own tenant. */
    static final String TENANT = "acme";

    /** One stored event of a template, as the command side wrote it. */
    record StoredEvent(String aggregateId, long sequence, String aggregateType, String payloadType,
                       String payloadRevision, byte[] payload, byte[] metadata) {
    }

    /** A scenario's events in the order the command side appended them. */
    record Template(String kind, List<StoredEvent> events) {
    }

    private final Replica replica;
    private final String schema;

    HistoryTemplates(Replica replica, String schema) {
        this.replica = replica;
        this.schema = schema;
    }

    /** Created, then shelve/unshelve and stop/start cycles: 16 events, every prefix of which is a valid history. */
    Template instance() {
        String id = "vm-" + MARKER;
        String task = expect(Api.as("alice").post(replica, "/v1/instances",
                "{\"id\":\"" + id + "\",\"name\":\"web\",\"flavor\":\"m1.small\"}"), 201).field("taskId");
        complete("instances", id, task);
        for (String action : List.of("shelve", "unshelve", "stop", "start", "shelve", "unshelve", "shelve")) {
            complete("instances", id, expect(Api.as("alice").post(replica,
                    "/v1/instances/" + id + "/actions/" + action, "{}"), 202).field("taskId"));
        }
        return read("instance", List.of(TENANT + ":" + id));
    }

    /** A share with an access rule synced, two snapshots (one deleted again) and an extend. */
    Template share() {
        String id = "share-" + MARKER;
        String base = "/v1/shares/" + id;
        String agentBase = "/v1/shares/" + TENANT + ":" + id;
        complete("shares", id, expect(Api.as("alice").post(replica, "/v1/shares",
                "{\"id\":\"" + id + "\",\"size\":10,\"protocol\":\"NFS\"}"), 201).field("taskId"));
        expect(Api.as("alice").post(replica, base + "/access-rules",
                "{\"accessType\":\"IP\",\"accessTo\":\"10.0.0.0/24\",\"level\":\"RW\"}"), 202);
        Api.Response sync = expect(Api.as("agent").post(replica, agentBase + "/access-rules/sync"), 200);
        String ruleId = sync.json().get("rules").get(0).get("id").asString();
        expect(Api.as("agent").post(replica, agentBase + "/access-rules/sync/" + sync.field("syncId") + "/result",
                "{\"results\":{\"" + ruleId + "\":\"OK\"}}"), 200);
        for (String snapshot : List.of("snap-a-" + MARKER, "snap-b-" + MARKER)) {
            complete("shares", id, expect(Api.as("alice").post(replica, base + "/snapshots",
                    "{\"snapshotId\":\"" + snapshot + "\",\"name\":\"nightly\"}"), 202).field("taskId"));
        }
        complete("shares", id, expect(Api.as("alice").post(replica, base + "/actions/extend",
                "{\"newSize\":20}"), 202).field("taskId"));
        complete("shares", id, expect(Api.as("alice").delete(replica, base + "/snapshots/snap-a-" + MARKER), 202)
                .field("taskId"));
        return read("share", List.of(TENANT + ":" + id));
    }

    /** A node with four subsystems, each with namespaces allocated, brought online, released and removed. */
    Template storage() {
        String node = "node-" + MARKER;
        expect(Api.as("alice").post(replica, "/v1/nodes", "{\"nodeId\":\"" + node + "\",\"maxSubsystems\":8}"), 201);
        List<String> ids = new ArrayList<>(List.of(TENANT + ":" + node));
        for (int s = 0; s < 4; s++) {
            String nqn = "nqn.2026-01.io.interlock:" + node + ":s" + s;
            ids.add(TENANT + ":" + nqn);
            expect(Api.as("alice").post(replica, "/v1/subsystems",
                    "{\"nqn\":\"" + nqn + "\",\"nodeId\":\"" + node + "\",\"maxNamespaces\":32}"), 201);
            String namespaces = "/v1/subsystems/" + nqn + "/namespaces";
            String agentNamespaces = "/v1/subsystems/" + TENANT + ":" + nqn + "/namespaces";
            for (int n = 0; n < 5; n++) {
                String lvol = "lv-" + MARKER + "-" + s + "-" + n;
                expect(Api.as("alice").post(replica, namespaces, "{\"lvolId\":\"" + lvol + "\"}"), 201);
                expect(Api.as("agent").post(replica, agentNamespaces + "/" + lvol + "/online"), 200);
                if (n < 3) {
                    expect(Api.as("alice").delete(replica, namespaces + "/" + lvol), 200);
                    expect(Api.as("agent").post(replica, agentNamespaces + "/" + lvol + "/removed"), 200);
                }
            }
        }
        return read("storage", ids);
    }

    /** The README's replacement walk-through: two volumes, a request driven to COMPLETE with one step. */
    Template replacement() {
        String snapshotVolume = "snap-vol-" + MARKER;
        String volume = "vol-a-" + MARKER;
        String id = "rr-" + MARKER;
        for (String v : List.of(snapshotVolume, volume)) {
            expect(Api.as("alice").post(replica, "/v1/volumes", "{\"volumeId\":\"" + v + "\"}"), 201);
        }
        expect(Api.as("alice").post(replica, "/v1/replacements", "{\"id\":\"" + id + "\",\"regionSnapshotId\":\"rs-"
                + MARKER + "\",\"snapshotVolumeId\":\"" + snapshotVolume + "\"}"), 201);
        String saga = "{\"sagaId\":\"saga-" + MARKER + "\"}";
        String allocated = "{\"sagaId\":\"saga-" + MARKER + "\",\"newRegionId\":\"region-" + MARKER
                + "\",\"newRegionVolumeId\":\"vol-new-" + MARKER + "\",\"oldSnapshotVolumeId\":\"vol-old-" + MARKER + "\"}";
        for (String t : List.of("begin-allocation", "finish-allocation", "begin-old-volume-deletion",
                "finish-old-volume-deletion")) {
            // only finish-allocation says where the data went; the others refuse those fields
            expect(Api.as("agent").post(replica, "/v1/replacements/" + id + "/transitions/" + t,
                    t.equals("finish-allocation") ? allocated : saga), 200);
        }
        expect(Api.as("agent").post(replica, "/v1/replacements/" + id + "/steps", "{\"volumeId\":\"" + volume + "\"}"), 201);
        for (String t : List.of("begin", "complete", "volume-deleted")) {
            expect(Api.as("agent").post(replica, "/v1/replacements/" + id + "/steps/" + volume + "/transitions/" + t,
                    "{\"sagaId\":\"step-" + MARKER + "\"}"), 200);
        }
        expect(Api.as("agent").post(replica, "/v1/replacements/" + id + "/target-deleted"), 200);
        for (String t : List.of("begin-completing", "finish-completing")) {
            expect(Api.as("agent").post(replica, "/v1/replacements/" + id + "/transitions/" + t,
                    "{\"sagaId\":\"done-" + MARKER + "\"}"), 200);
        }
        return read("replacement", List.of(snapshotVolume, volume, id));
    }

    private void complete(String type, String id, String taskId) {
        expect(Api.as("agent").post(replica, "/v1/" + type + "/" + TENANT + ":" + id + "/tasks/" + taskId + "/complete"),
                200);
    }

    private Template read(String kind, List<String> aggregateIds) {
        try (Connection c = TestDatabase.connect(schema);
             PreparedStatement s = c.prepareStatement("select aggregate_identifier, sequence_number, type, payload_type, "
                     + "payload_revision, payload, meta_data from domain_event_entry where aggregate_identifier = any(?) "
                     + "order by global_index")) {
            s.setArray(1, c.createArrayOf("varchar", aggregateIds.toArray()));
            List<StoredEvent> events = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    events.add(new StoredEvent(rs.getString(1), rs.getLong(2), rs.getString(3), rs.getString(4),
                            rs.getString(5), rs.getBytes(6), rs.getBytes(7)));
                }
            }
            return new Template(kind, events);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
