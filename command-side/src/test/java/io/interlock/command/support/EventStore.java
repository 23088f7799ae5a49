package io.interlock.command.support;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** Reads the event store with plain SQL, the way an auditor would, to check what really happened. */
public final class EventStore {

    public record StoredEvent(long globalIndex, long sequence, String type, String payload, String metadata) {
        public String shortType() {
            return type.substring(type.lastIndexOf('$') + 1);
        }
    }

    private EventStore() {
    }

    public static List<StoredEvent> history(String schema, String aggregateId) {
        return query(schema, "select global_index, sequence_number, payload_type, convert_from(payload, 'UTF8'), "
                + "convert_from(meta_data, 'UTF8') from domain_event_entry where aggregate_identifier = ? "
                + "order by sequence_number", aggregateId);
    }

    public static long count(String schema, String sql, Object... args) {
        try (Connection c = TestDatabase.connect(schema); PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                s.setObject(i + 1, args[i]);
            }
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<StoredEvent> query(String schema, String sql, Object... args) {
        try (Connection c = TestDatabase.connect(schema); PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                s.setObject(i + 1, args[i]);
            }
            List<StoredEvent> events = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    events.add(new StoredEvent(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4),
                            rs.getString(5)));
                }
            }
            return events;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
