package io.interlock.bench;

import io.interlock.command.support.Replica;
import io.interlock.command.support.TestDatabase;
import org.axonframework.messaging.MetaData;
import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.Serializer;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.UUID;

/**
 * Writes events straight into the event table, through the application's own serializer, so a
 * benchmark can start from a long history without sending a command per event. The rows are
 * exactly what Axon would have written: the same payload and metadata encoding, the same global
 * index sequence, one aggregate sequence per aggregate.
 */
final class StoredEvents implements AutoCloseable {

    private static final int BATCH = 1_000;

    private final Serializer serializer;
    private final byte[] emptyMetaData;
    private final Connection connection;
    private final PreparedStatement insert;
    private int pending;

    StoredEvents(Replica replica, String schema) throws SQLException {
        this.serializer = replica.bean("eventSerializer", Serializer.class);
        this.emptyMetaData = serializer.serialize(MetaData.emptyInstance(), byte[].class).getData();
        this.connection = TestDatabase.connect(schema);
        this.connection.setAutoCommit(false);
        this.insert = connection.prepareStatement("insert into domain_event_entry (global_index, aggregate_identifier, "
                + "sequence_number, type, event_identifier, payload_type, payload_revision, payload, meta_data, "
                + "time_stamp) values (nextval('domain_event_entry_global_index_seq'), ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    }

    void append(String aggregateType, String aggregateId, long sequence, Object payload) throws SQLException {
        SerializedObject<byte[]> serialized = serializer.serialize(payload, byte[].class);
        insert.setString(1, aggregateId);
        insert.setLong(2, sequence);
        insert.setString(3, aggregateType);
        insert.setString(4, UUID.randomUUID().toString());
        insert.setString(5, serialized.getType().getName());
        insert.setString(6, serialized.getType().getRevision());
        insert.setBytes(7, serialized.getData());
        insert.setBytes(8, emptyMetaData);
        insert.setString(9, Instant.now().toString());
        insert.addBatch();
        if (++pending == BATCH) {
            flush();
        }
    }

    void flush() throws SQLException {
        if (pending > 0) {
            insert.executeBatch();
            connection.commit();
            pending = 0;
        }
    }

    @Override
    public void close() throws SQLException {
        flush();
        connection.close();
    }
}
