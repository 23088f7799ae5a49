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

    /**
     * One resource's history. A tenant-owned resource's stream is {@code <tenant>:<id>}; tests may
     * name it that way or by the bare id its member wrote, as long as that id is the test's own
     * (two tenants' streams of one bare id are refused rather than mixed).
     */
    public static List<StoredEvent> history(String schema, String aggregateId) {
        String escaped = aggregateId.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
        long streams = count(schema, "select count(distinct aggregate_identifier) from domain_event_entry "
                + "where aggregate_identifier = ? or aggregate_identifier like ?", aggregateId, "%:" + escaped);
        if (streams > 1) {
            throw new IllegalArgumentException(aggregateId + " names " + streams + " streams: name the tenant");
        }
        return query(schema, "select global_index, sequence_number, payload_type, convert_from(payload, 'UTF8'), "
                + "convert_from(meta_data, 'UTF8') from domain_event_entry "
                + "where aggregate_identifier = ? or aggregate_identifier like ? "
                + "order by sequence_number", aggregateId, "%:" + escaped);
    }

    /** The global index of the last event in the store: unchanged means nothing was appended. */
    public static long head(String schema) {
        return count(schema, "select coalesce(max(global_index), 0) from domain_event_entry");
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
