package io.interlock.command.store;

import org.axonframework.eventhandling.EventMessage;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * What one transaction hands the event store to write when it commits: its events, already
 * serialized, and the timeouts its commands started. Both go in one database transaction, so a
 * task's timeout exists exactly when the event that started the task does.
 * <p>
 * It also remembers whether the transaction sent SQL of its own (an export-path row, the placement
 * index, a saga's state): such a transaction must write its rows itself, atomically with that
 * work. One that sent none may have its rows committed together with other transactions'
 * ({@link StoreWriter}).
 */
final class StoreWrites {

    /** One row of {@code domain_event_entry}, minus the global index the database draws. */
    record EventRow(String eventIdentifier, String aggregateIdentifier, long sequenceNumber, String type,
                    String timestamp, String payloadType, String payloadRevision, byte[] payload, byte[] metaData) {
    }

    /** One row of db-scheduler's {@code scheduled_tasks}, as its own insert would write it. */
    record TimeoutRow(String taskName, String taskInstance, byte[] taskData, Instant executionTime, int priority) {
    }

    final List<EventRow> events = new ArrayList<>();
    final List<TimeoutRow> timeouts = new ArrayList<>();
    /**
     * Timeouts are serialized only as the transaction commits, as Axon's own manager does: a
     * timeout started by a creating command names an aggregate whose identifier is set later.
     */
    final List<Supplier<TimeoutRow>> timeoutsToSerialize = new ArrayList<>();
    /** The first event handed in, to tell a lost race from a failure as Axon's engines do. */
    EventMessage<?> firstEvent;
    /** Turns a failed write of the events into what Axon's engines throw for it. */
    Function<Exception, RuntimeException> failure;
    /** Set once the transaction has taken a connection for SQL of its own. */
    boolean transactionUsed;
    private StoreWriter writer;

    private StoreWrites() {
    }

    /** The writes of the transaction this thread runs, or {@code null} outside a transaction. */
    static StoreWrites ofCurrentTransaction() {
        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
            return null;
        }
        StoreWrites writes = (StoreWrites) TransactionSynchronizationManager.getResource(StoreWrites.class);
        if (writes == null) {
            StoreWrites created = new StoreWrites();
            TransactionSynchronizationManager.bindResource(StoreWrites.class, created);
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void beforeCommit(boolean readOnly) {
                    created.timeoutsToSerialize.forEach(timeout -> created.timeouts.add(timeout.get()));
                    created.timeoutsToSerialize.clear();
                    if (created.writer != null && !created.isEmpty()) {
                        created.writer.write(created);
                    }
                }

                @Override
                public void afterCompletion(int status) {
                    TransactionSynchronizationManager.unbindResourceIfPossible(StoreWrites.class);
                }
            });
            writes = created;
        }
        return writes;
    }

    /** Called when the current transaction takes a physical connection. */
    static void markTransactionUsed() {
        StoreWrites writes = ofCurrentTransaction();
        if (writes != null) {
            writes.transactionUsed = true;
        }
    }

    /** Writes for work outside any transaction, committed on their own. */
    static StoreWrites detached() {
        return new StoreWrites();
    }

    void writtenBy(StoreWriter writer) {
        this.writer = writer;
    }

    boolean isEmpty() {
        return events.isEmpty() && timeouts.isEmpty();
    }

    RuntimeException failed(Exception cause) {
        return failure != null && !events.isEmpty() ? failure.apply(cause)
                : new IllegalStateException("Failed to write timeouts to the store", cause);
    }
}
