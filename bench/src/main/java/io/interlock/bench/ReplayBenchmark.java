package io.interlock.bench;

import io.interlock.command.support.Api;
import io.interlock.command.support.Replica;
import io.interlock.command.support.TestDatabase;
import io.interlock.query.support.QueryApp;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventProcessor;
import org.axonframework.serialization.Serializer;
import tools.jackson.databind.JsonNode;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.interlock.bench.AllocationBenchmark.expect;

/**
 * Replay: how fast every read model is rebuilt from a large event store, against a raw
 * sequential read of the event table, the ceiling no projection can beat. The store is built from
 * real histories ({@link ReplayStore}); the query side runs in this process on it, and the replay
 * goes through its admin API as an operator's would. The rebuilt instances then serve the read case.
 */
final class ReplayBenchmark {

    private ReplayBenchmark() {
    }

    static List<Result> run(Replica replica, String replicaSchema, int instances, int readRequests) throws Exception {
        HistoryTemplates recorder = new HistoryTemplates(replica, replicaSchema);
        List<HistoryTemplates.Template> templates = List.of(recorder.instance(), recorder.share(), recorder.storage(),
                recorder.replacement());
        Serializer serializer = replica.bean(org.axonframework.config.Configuration.class).eventSerializer();

        String schema = TestDatabase.schema("replay");
        ReplayStore.prepare(schema);
        List<Result> results = new ArrayList<>();
        try (QueryApp query = QueryApp.start(schema, Map.of())) {
            // idle until the replay: the processors must not chase the store while it is being written
            query.bean(EventProcessingConfiguration.class).eventProcessors().values().forEach(EventProcessor::shutDown);
            ReplayStore.Summary store = new ReplayStore(serializer).write(schema, templates, instances);
            double raw = rawRead(schema);
            double rebuildSeconds = rebuild(query);
            double rebuild = store.events() / rebuildSeconds;
            results.add(Result.of("replay", store.events() + " events", "events", store.events(),
                    "instances", store.instances(), "shares", store.shares(), "storageNodes", store.storageNodes(),
                    "replacements", store.replacements(), "buildSeconds", round(store.seconds()),
                    "rawReadEventsPerSecond", Math.round(raw), "rebuildSeconds", round(rebuildSeconds),
                    "rebuildEventsPerSecond", Math.round(rebuild), "rebuildToRawRatio", Math.round(rebuild / raw * 1000) / 1000.0));
            double vacuumSeconds = awaitVacuum(schema);
            results.addAll(ReadBenchmark.run(query, store.instances(), readRequests));
            results.add(Result.of("read", "before the reads", "waitedForPostReplayVacuumSeconds", round(vacuumSeconds)));
        }
        return results;
    }

    /** Every event row in order, payload and metadata bytes included, streamed: events per second. */
    private static double rawRead(String schema) throws Exception {
        try (Connection c = TestDatabase.connect(schema)) {
            c.setAutoCommit(false); // PostgreSQL streams with a fetch size only inside a transaction
            long started = System.nanoTime();
            long rows = 0;
            long bytes = 0;
            try (PreparedStatement s = c.prepareStatement("select global_index, aggregate_identifier, sequence_number, "
                    + "type, event_identifier, payload_type, payload_revision, payload, meta_data, time_stamp "
                    + "from domain_event_entry order by global_index")) {
                s.setFetchSize(1_000);
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        rows++;
                        bytes += rs.getBytes(8).length;
                        byte[] metadata = rs.getBytes(9);
                        bytes += metadata == null ? 0 : metadata.length;
                        rs.getString(2);
                        rs.getString(10);
                    }
                }
            }
            c.commit();
            if (bytes == 0) {
                throw new IllegalStateException("Read no payloads");
            }
            return rows / ((System.nanoTime() - started) / 1e9);
        }
    }

    /** Replays every projection at once and waits until each has read up to the head: seconds taken. */
    private static double rebuild(QueryApp query) throws InterruptedException {
        List<String> names = new ArrayList<>();
        expect(Api.as("admin").get(query, "/v1/admin/projections"), 200).json()
                .forEach(p -> names.add(p.get("name").asString()));
        long started = System.nanoTime();
        for (String name : names) {
            // projections that share a processor are rebuilt together: one request starts them all
            if (!expect(Api.as("admin").get(query, "/v1/admin/projections/" + name), 200).json()
                    .get("rebuilding").asBoolean()) {
                expect(Api.as("admin").post(query, "/v1/admin/projections/" + name + "/replay"), 202);
            }
        }
        while (true) {
            JsonNode all = expect(Api.as("admin").get(query, "/v1/admin/projections"), 200).json();
            boolean done = true;
            for (JsonNode p : all) {
                if (p.get("error") != null && !p.get("error").isNull()) {
                    throw new IllegalStateException("Projection failed during the replay: " + p);
                }
                done &= !p.get("rebuilding").asBoolean() && p.get("position").asLong() >= p.get("head").asLong();
            }
            if (done) {
                return (System.nanoTime() - started) / 1e9;
            }
            Thread.sleep(50);
        }
    }

    /**
     * A replay leaves about a million dead row versions, and the query side vacuums and analyses
     * each rebuilt table in the background; reads are measured on the table as it then stays, not
     * while that runs. Seconds waited.
     */
    private static double awaitVacuum(String schema) throws Exception {
        long started = System.nanoTime();
        long deadline = started + 600_000_000_000L;
        try (Connection c = TestDatabase.connect(schema); var busy = c.prepareStatement(
                "select count(*) from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid() "
                        + "and state = 'active' and (query ilike 'vacuum%' or query ilike 'autovacuum:%" + schema + "%')")) {
            Thread.sleep(1_000);
            while (System.nanoTime() < deadline) {
                try (var rs = busy.executeQuery()) {
                    rs.next();
                    if (rs.getLong(1) == 0) {
                        break;
                    }
                }
                Thread.sleep(500);
            }
        }
        return (System.nanoTime() - started) / 1e9;
    }

    private static double round(double seconds) {
        return Math.round(seconds * 10) / 10.0;
    }
}
