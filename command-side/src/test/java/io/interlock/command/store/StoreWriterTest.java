package io.interlock.command.store;

import io.interlock.command.store.StoreWrites.EventRow;
import io.interlock.command.support.TwoReplicaTest;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.modelling.command.ConcurrencyException;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The group commit answers each transaction for itself: in a burst of appends, the one that lost
 * a race on the event store's unique key is told so, and the others are committed, whichever
 * group each of them landed in; one that waits on another writer's lock makes no one else wait
 * for long.
 */
class StoreWriterTest extends TwoReplicaTest {

    @Test
    void onlyTheAppendThatHitsTheUniqueKeyFailsAndTheRestOfItsGroupIsCommitted() throws Exception {
        StoreWriter writer = a.bean(StoreWriter.class);
        String run = UUID.randomUUID().toString().substring(0, 8);
        String taken = "gc-" + run + "-taken";
        writer.write(writes(taken, 0));

        int appends = 32;
        int loser = 17;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService threads = Executors.newFixedThreadPool(appends);
        List<Future<?>> outcomes = new ArrayList<>();
        for (int i = 0; i < appends; i++) {
            String aggregate = i == loser ? taken : "gc-" + run + "-" + i;
            outcomes.add(threads.submit(() -> {
                start.await();
                writer.write(writes(aggregate, 0));
                return null;
            }));
        }
        start.countDown();
        List<Integer> failed = new ArrayList<>();
        for (int i = 0; i < appends; i++) {
            try {
                outcomes.get(i).get();
            } catch (java.util.concurrent.ExecutionException e) {
                assertThat(e.getCause()).isInstanceOf(ConcurrencyException.class);
                failed.add(i);
            }
        }
        threads.shutdown();

        assertThat(failed).containsExactly(loser);
        // the 31 new aggregates and the one written first
        assertThat(eventsOf(a.bean(DataSource.class), "gc-" + run + "-%")).isEqualTo(appends);
    }

    @Test
    void appendsThatWaitOnAnotherWritersLocksHoldUpNoOneElse() throws Exception {
        StoreWriter writer = a.bean(StoreWriter.class);
        String run = UUID.randomUUID().toString().substring(0, 8);
        // another replica's inserts of three keys, not committed yet: more than there are writers
        Connection otherReplica = LazyConnections.pool(a.bean(DataSource.class)).getConnection();
        otherReplica.setAutoCommit(false);
        List<String> blocked = List.of("gc-" + run + "-blocked-1", "gc-" + run + "-blocked-2", "gc-" + run + "-blocked-3");
        for (String aggregate : blocked) {
            try (PreparedStatement insert = otherReplica.prepareStatement("insert into domain_event_entry (global_index,"
                    + " event_identifier, aggregate_identifier, sequence_number, type, time_stamp, payload_type, payload)"
                    + " values (nextval('domain_event_entry_global_index_seq'), ?, ?, 0, 'Test', 'now', 'held', ''::bytea)")) {
                insert.setString(1, UUID.randomUUID().toString());
                insert.setString(2, aggregate);
                insert.executeUpdate();
            }
        }
        ExecutorService threads = Executors.newFixedThreadPool(19);
        try {
            List<Future<?>> waiting = new ArrayList<>();
            for (String aggregate : blocked) {
                waiting.add(threads.submit(() -> {
                    writer.write(writes(aggregate, 0));
                    return null;
                }));
                Thread.sleep(300); // each in a group of its own, every writer taken
            }
            List<Future<?>> others = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                String aggregate = "gc-" + run + "-" + i;
                others.add(threads.submit(() -> {
                    writer.write(writes(aggregate, 0));
                    return null;
                }));
            }
            for (Future<?> other : others) {
                other.get(10, java.util.concurrent.TimeUnit.SECONDS);
            }
            assertThat(waiting).noneMatch(Future::isDone);
            otherReplica.rollback(); // the other replica gave up: the waiting appends go through
            for (Future<?> append : waiting) {
                append.get(10, java.util.concurrent.TimeUnit.SECONDS);
            }
        } finally {
            otherReplica.close();
            threads.shutdownNow();
        }
        assertThat(eventsOf(a.bean(DataSource.class), "gc-" + run + "-%")).isEqualTo(19);
    }

    private static StoreWrites writes(String aggregate, long sequence) {
        StoreWrites writes = StoreWrites.detached();
        var event = new GenericDomainEventMessage<>("Test", aggregate, sequence, "payload");
        writes.events.add(new EventRow(event.getIdentifier(), aggregate, sequence, "Test",
                event.getTimestamp().toString(), String.class.getName(), null, "\"payload\"".getBytes(), "{}".getBytes()));
        writes.firstEvent = event;
        writes.failure = cause -> new ConcurrencyException("lost the race for " + aggregate, cause);
        return writes;
    }

    private static long eventsOf(DataSource dataSource, String pattern) throws Exception {
        try (Connection c = LazyConnections.pool(dataSource).getConnection();
             PreparedStatement count = c.prepareStatement(
                     "select count(*) from domain_event_entry where aggregate_identifier like ?")) {
            count.setString(1, pattern);
            try (ResultSet r = count.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        }
    }
}
