package io.interlock.query.store;

import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.messaging.Message;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Projections stopped by an event they could not write or handle. The shared processor's token
 * moves on for the projections that are well, so a stopped projection's failure is kept in the
 * read-model schema, in the batch's own transaction: after a restart it is still stopped, and
 * nothing it missed is ever mistaken for applied. Only a replay clears it.
 */
@Component
public class ProjectionFailures {

    private static final Logger log = LoggerFactory.getLogger(ProjectionFailures.class);

    /** The event at which a projection stopped: it and everything after it are not applied. */
    public record Failure(String projection, long position, String aggregateId, String eventType, String error,
                          Instant failedAt) {
    }

    private final JdbcTemplate jdbc;
    private final Map<String, Failure> known = new ConcurrentHashMap<>();

    public ProjectionFailures(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public Optional<Failure> of(String projection) {
        return Optional.ofNullable(known.get(projection));
    }

    /** How many projections are stopped: what a gauge reads. */
    public int failedCount() {
        return known.size();
    }

    /** Reads the stored failures, which another process may have written; once per batch. */
    public void refresh() {
        Map<String, Failure> stored = new ConcurrentHashMap<>();
        jdbc.query("select projection, position, aggregate_id, event_type, error, failed_at from projection_failure",
                rs -> {
                    stored.put(rs.getString(1), new Failure(rs.getString(1), rs.getLong(2), rs.getString(3),
                            rs.getString(4), rs.getString(5), rs.getTimestamp(6).toInstant()));
                });
        known.keySet().retainAll(stored.keySet());
        known.putAll(stored);
    }

    /**
     * Stops {@code projection} at {@code event}, in the current transaction; a projection already
     * stopped keeps its first failure. Logged once, here, as the error it is.
     */
    void record(String projection, Message<?> event, Throwable error) {
        if (known.containsKey(projection)) {
            return;
        }
        long position = event instanceof TrackedEventMessage<?> tracked
                ? tracked.trackingToken().position().orElse(-1L) : -1L;
        String aggregateId = event instanceof DomainEventMessage<?> domain ? domain.getAggregateIdentifier() : null;
        Failure failure = new Failure(projection, position, clean(aggregateId, 255),
                clean(event.getPayloadType().getName(), 255), clean(message(error), 2000), Instant.now());
        jdbc.update("insert into projection_failure (projection, position, aggregate_id, event_type, error, failed_at) "
                        + "values (?, ?, ?, ?, ?, ?)", failure.projection(), failure.position(), failure.aggregateId(),
                failure.eventType(), failure.error(), Timestamp.from(failure.failedAt()));
        known.put(projection, failure);
        log.error("Projection {} stopped at event {} ({} of {}): {}. It applies nothing more until it is replayed.",
                projection, position, failure.eventType(), aggregateId == null ? "-" : failure.aggregateId(),
                failure.error(), error);
    }

    /** Forgets every failure: a replay rebuilds every projection from the first event. */
    public void clear() {
        jdbc.update("delete from projection_failure");
        known.clear();
    }

    private static String message(Throwable error) {
        Throwable cause = error;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        String text = cause.getMessage() == null ? cause.getClass().getName() : cause.getMessage();
        return cause == error ? text : error.getClass().getSimpleName() + ": " + text;
    }

    /** What the failure table can hold: the very text that failed may be what carries a NUL. */
    private static String clean(String text, int max) {
        if (text == null) {
            return null;
        }
        String safe = text.replace("\u0000", "\\u0000");
        return safe.length() <= max ? safe : safe.substring(0, max);
    }
}
