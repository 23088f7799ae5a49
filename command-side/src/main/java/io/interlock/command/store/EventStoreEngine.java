package io.interlock.command.store;

import io.interlock.command.store.StoreWrites.EventRow;
import org.axonframework.common.transaction.NoTransactionManager;
import org.axonframework.config.Configuration;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.eventsourcing.eventstore.jdbc.EventSchema;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;
import org.axonframework.eventsourcing.eventstore.jpa.SQLStateResolver;
import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.Serializer;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Bean;

import java.util.List;

import static org.axonframework.common.DateTimeUtils.formatInstant;

/**
 * The command side's event storage: Axon's JDBC engine on the tables Flyway made, with two changes
 * to where the SQL goes.
 * <p>
 * Reads (loading and catching up aggregates, the sagas' tracking processors) take their own
 * connection from the pool, outside the command's transaction: what they read is committed either
 * way, and the command's transaction then has not touched the database when its events are ready.
 * <p>
 * Appends are serialized on the caller's thread and handed to {@link StoreWriter}, which writes
 * them with the transaction's timeouts when the transaction commits, in a group with other
 * commands' when the transaction sent no SQL of its own. The global index is drawn by the insert
 * itself, one number at a time from the sequence, not by a round trip of its own.
 */
public class EventStoreEngine extends JdbcEventStorageEngine {

    private final StoreWriter writer;

    private EventStoreEngine(Builder builder, StoreWriter writer) {
        super(builder);
        this.writer = writer;
    }

    @Override
    protected void appendEvents(List<? extends EventMessage<?>> events, Serializer serializer) {
        if (events.isEmpty()) {
            return;
        }
        StoreWrites writes = StoreWrites.ofCurrentTransaction();
        boolean alone = writes == null;
        if (alone) {
            // outside any transaction: written and committed right away, in a transaction of its own
            writes = StoreWrites.detached();
        }
        for (EventMessage<?> message : events) {
            DomainEventMessage<?> event = message instanceof DomainEventMessage<?> domain ? domain
                    : new GenericDomainEventMessage<>(null, message.getIdentifier(), 0L, message, message::getTimestamp);
            SerializedObject<byte[]> payload = event.serializePayload(serializer, byte[].class);
            SerializedObject<byte[]> metaData = event.serializeMetaData(serializer, byte[].class);
            writes.events.add(new EventRow(event.getIdentifier(), event.getAggregateIdentifier(),
                    event.getSequenceNumber(), event.getType(), formatInstant(event.getTimestamp()),
                    payload.getType().getName(), payload.getType().getRevision(), payload.getData(),
                    metaData.getData()));
        }
        if (writes.firstEvent == null) {
            EventMessage<?> first = events.get(0);
            writes.firstEvent = first;
            writes.failure = cause -> translated(cause, first);
        }
        writes.writtenBy(writer);
        if (alone) {
            writer.write(writes);
        }
    }

    /**
     * Axon's JDBC engine reads an aggregate until a read comes back empty; an aggregate's sequence
     * has no holes here, so a short batch is the last one, and a load costs one query less.
     */
    @Override
    protected boolean fetchForAggregateUntilEmpty() {
        return false;
    }

    /** What Axon's engines throw for a failed append: a lost race is a concurrency exception. */
    private RuntimeException translated(Exception cause, EventMessage<?> failedEvent) {
        try {
            handlePersistenceException(cause, failedEvent);
        } catch (RuntimeException translated) {
            return translated;
        }
        return new IllegalStateException("Failed to append events", cause);
    }

    /** The command side's tables, column by column: Flyway made them snake_case. */
    static EventSchema tables() {
        return EventSchema.builder()
                .eventTable("domain_event_entry")
                .snapshotTable("snapshot_event_entry")
                .globalIndexColumn("global_index")
                .timestampColumn("time_stamp")
                .eventIdentifierColumn("event_identifier")
                .aggregateIdentifierColumn("aggregate_identifier")
                .sequenceNumberColumn("sequence_number")
                .typeColumn("type")
                .payloadTypeColumn("payload_type")
                .payloadRevisionColumn("payload_revision")
                .payloadColumn("payload")
                .metaDataColumn("meta_data")
                .build();
    }

    @org.springframework.context.annotation.Configuration
    static class Wiring {

        @Bean
        EventStorageEngine eventStorageEngine(StoreWriter writer, Serializer defaultSerializer,
                                              @Qualifier("eventSerializer") Serializer eventSerializer,
                                              Configuration configuration) {
            Builder builder = JdbcEventStorageEngine.builder()
                    .connectionProvider(writer.pool()::getConnection)
                    .transactionManager(NoTransactionManager.INSTANCE)
                    .schema(tables())
                    .dataType(byte[].class)
                    .snapshotSerializer(defaultSerializer)
                    .eventSerializer(eventSerializer)
                    .upcasterChain(configuration.upcasterChain())
                    .snapshotFilter(configuration.snapshotFilter())
                    // the extra query for gaps wider than maxGapOffset (10,000) after every empty
                    // fetch: the global index is drawn one number at a time, and only a rolled-back
                    // append leaves a hole, a handful wide
                    .extendedGapCheckEnabled(false)
                    // PostgreSQL's and H2's code for a unique key violation: the race another writer won
                    .persistenceExceptionResolver(new SQLStateResolver("23505"));
            return new EventStoreEngine(builder, writer);
        }
    }
}
