package io.interlock.query.store;

import io.interlock.query.support.ReadModelSchema;
import io.interlock.command.support.TestDatabase;
import io.interlock.instance.InstanceAction;
import io.interlock.instance.InstanceEvents.InstanceCreated;
import io.interlock.instance.InstanceEvents.InstanceEvent;
import io.interlock.instance.InstanceEvents.InstanceLocked;
import io.interlock.instance.InstanceEvents.InstanceTaskCompleted;
import io.interlock.instance.InstanceEvents.InstanceTaskFailed;
import io.interlock.instance.InstanceEvents.InstanceTaskStarted;
import io.interlock.instance.InstanceEvents.InstanceUnlocked;
import io.interlock.instance.TaskState;
import io.interlock.instance.VmState;
import io.interlock.query.instance.InstanceProjection;
import io.interlock.query.instance.InstanceViews;
import io.interlock.query.stream.ChangeFeed;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventhandling.ReplayStatus;
import org.axonframework.messaging.unitofwork.BatchingUnitOfWork;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.json.JsonMapper;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Rows written a batch at a time (one load per batch, folded in memory, written at commit) are
 * exactly the rows written event by event, whatever the batch boundaries, redeliveries included.
 */
class BatchedRowsTest {

    private static final String SCHEMA = TestDatabase.schema("batched_rows");
    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    private static JdbcTemplate jdbc;

    @BeforeAll
    static void database() {
        jdbc = ReadModelSchema.migrated(SCHEMA);
    }

    @ParameterizedTest(name = "batches of {0}")
    @ValueSource(ints = {1, 7, 64, 1000})
    void batchedRowsEqualRowsWrittenEventByEvent(int batchSize) {
        List<DomainEventMessage<InstanceEvent>> stream = interleavedStream();
        InstanceProjection projection = new InstanceProjection(new InstanceViews(jdbc, JsonMapper.builder().build()),
                new ChangeFeed());

        projection.reset();
        stream.forEach(m -> deliver(projection, m));
        List<Map<String, Object>> eventByEvent = rows();

        projection.reset();
        for (int from = 0; from < stream.size(); from += batchSize) {
            BatchingUnitOfWork<DomainEventMessage<InstanceEvent>> batch =
                    new BatchingUnitOfWork<>(stream.subList(from, Math.min(stream.size(), from + batchSize)));
            batch.executeWithResult(() -> {
                @SuppressWarnings("unchecked")
                DomainEventMessage<InstanceEvent> m = (DomainEventMessage<InstanceEvent>) CurrentUnitOfWork.get().getMessage();
                deliver(projection, m);
                return null;
            });
        }

        assertThat(rows()).hasSize(20).isEqualTo(eventByEvent);
    }

    private static void deliver(InstanceProjection projection, DomainEventMessage<InstanceEvent> m) {
        projection.on(m.getPayload(), m.getSequenceNumber(), m.getTimestamp(), ReplayStatus.REGULAR);
    }

    private static List<Map<String, Object>> rows() {
        return jdbc.queryForList("select * from instance_view order by instance_id");
    }

    /** Twenty instances changing at once, each history spread over the stream, and one event delivered twice. */
    private static List<DomainEventMessage<InstanceEvent>> interleavedStream() {
        List<List<InstanceEvent>> histories = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            String id = "vm-" + i;
            List<InstanceEvent> h = new ArrayList<>(List.of(
                    new InstanceCreated(id, i % 2 == 0 ? "acme" : "globex", "web", "m1", id + "-t0"),
                    new InstanceTaskCompleted(id, InstanceAction.CREATE, id + "-t0", VmState.ACTIVE),
                    new InstanceTaskStarted(id, InstanceAction.SHELVE, id + "-t1", TaskState.SHELVING, VmState.SHELVED,
                            VmState.ACTIVE, null, Map.of()),
                    new InstanceLocked(id),
                    new InstanceTaskCompleted(id, InstanceAction.SHELVE, id + "-t1", VmState.SHELVED),
                    new InstanceUnlocked(id),
                    new InstanceTaskStarted(id, InstanceAction.UNSHELVE, id + "-t2", TaskState.UNSHELVING,
                            VmState.ACTIVE, VmState.ERROR, null, Map.of())));
            if (i % 2 == 1) {
                h.add(new InstanceTaskFailed(id, InstanceAction.UNSHELVE, id + "-t2", VmState.ERROR, "no host"));
            }
            histories.add(h.subList(0, 3 + i % 6));
        }
        List<DomainEventMessage<InstanceEvent>> stream = new ArrayList<>();
        for (int round = 0; round < 8; round++) {
            for (List<InstanceEvent> h : histories) {
                if (round < h.size()) {
                    stream.add(message(h.get(round), round, stream.size()));
                }
            }
            if (round == 4) {
                stream.add(message(histories.get(3).get(2), 2, stream.size())); // a redelivery: changes nothing
            }
        }
        return stream;
    }

    private static DomainEventMessage<InstanceEvent> message(InstanceEvent event, long sequence, int position) {
        return new GenericDomainEventMessage<>("Instance", event.instanceId(), sequence, event, Map.of(),
                java.util.UUID.randomUUID().toString(), T0.plusSeconds(position));
    }
}
