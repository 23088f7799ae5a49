package io.interlock.query.replay;

import io.interlock.query.overview.ReadModel;
import io.interlock.query.store.ProjectionFailures;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.interlock.query.web.QueryRejection;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.common.transaction.TransactionManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Status and replay of the projections. A replay empties the read model (the projection's reset
 * handler) and rebuilds it from the event store; until it has caught up with the store's head as
 * it was when the replay began, the read model's endpoints answer 503 {@code rebuilding} instead
 * of serving half a table as if it were whole.
 */
@Component
public class Projections {

    private static final Logger log = LoggerFactory.getLogger(Projections.class);

    /**
     * {@code status} is {@code failed} when an event stopped the projection ({@code failure} names
     * it), else {@code rebuilding}, {@code running} or {@code stopped}. {@code lagEvents} is how far
     * it is behind the head of the store, {@code lagSeconds} how old the first event it has not
     * applied is (0 when it has applied them all).
     */
    public record Status(String name, String type, String status, boolean running, boolean rebuilding,
                         long position, long head, double progressPercent, int segments, int claimedSegments,
                         String error, ProjectionFailures.Failure failure, long lagEvents, double lagSeconds) {
    }

    private final EventProcessingConfiguration processing;
    private final EventStore eventStore;
    private final TokenStore tokenStore;
    private final TransactionManager transactions;
    private final JdbcTemplate jdbc;
    private final ProjectionFailures failures;
    private final Map<String, ReadModel> models = new LinkedHashMap<>();
    /** Per projection being rebuilt: the head of the store when its replay began. */
    private final Map<String, Long> rebuildTargets = new ConcurrentHashMap<>();

    public Projections(EventProcessingConfiguration processing, EventStore eventStore, TokenStore tokenStore,
                       TransactionManager transactions, JdbcTemplate jdbc, List<ReadModel> readModels,
                       ProjectionFailures failures, ObjectProvider<MeterRegistry> meters) {
        this.processing = processing;
        this.failures = failures;
        this.jdbc = jdbc;
        this.eventStore = eventStore;
        this.tokenStore = tokenStore;
        this.transactions = transactions;
        readModels.forEach(m -> models.put(m.processingGroup(), m));
        failures.refresh();
        // 1 while the projection is stopped by an event it could not apply: worth an alert
        meters.ifAvailable(registry -> models.keySet().forEach(name -> Gauge.builder("interlock.projection.failed",
                        failures, f -> f.of(name).isPresent() ? 1 : 0)
                .tag("projection", name)
                .description("1 while the projection is stopped by an event it could not apply")
                .register(registry)));
    }

    public Collection<Status> all() {
        return models.keySet().stream().map(this::status).toList();
    }

    public Status status(String name) {
        StreamingEventProcessor processor = processor(name);
        long head = head();
        Map<Integer, EventTrackerStatus> claimed = processor.processingStatus();
        int segments = transactions.fetchInTransaction(() -> tokenStore.fetchSegments(processor.getName()).length);
        long position = claimed.values().stream()
                .map(EventTrackerStatus::getCurrentPosition)
                .mapToLong(p -> p.orElse(0L))
                .min().orElse(0L);
        ProjectionFailures.Failure failure = failures.of(name).orElse(null);
        String error = failure != null ? failure.error() : claimed.values().stream()
                .filter(EventTrackerStatus::isErrorState)
                .map(s -> String.valueOf(s.getError())).findFirst().orElse(null);
        boolean rebuilding = rebuilding(name, claimed, segments, position);
        double progress = head == 0 ? 100.0 : Math.min(100.0, Math.floor(1000.0 * position / head) / 10.0);
        String state = failure != null ? "failed" : rebuilding ? "rebuilding" : processor.isRunning() ? "running"
                : "stopped";
        long lag = Math.max(0, head - position);
        return new Status(name, models.get(name).type(), state, processor.isRunning(), rebuilding, position, head,
                progress, segments, claimed.size(), error, failure, lag, lag == 0 ? 0 : ageOfEventAfter(position));
    }

    /** Seconds since the first event past {@code position} was stored: how long it has waited. */
    private double ageOfEventAfter(long position) {
        List<String> stamps = jdbc.queryForList("select time_stamp from domain_event_entry where global_index > ? "
                + "order by global_index limit 1", String.class, position);
        if (stamps.isEmpty()) {
            return 0;
        }
        try {
            return Math.max(0, Duration.between(Instant.parse(stamps.get(0)), Instant.now()).toMillis() / 1000.0);
        } catch (DateTimeParseException unreadable) {
            return 0;
        }
    }

    /**
     * Starts rebuilding a read model from the event store; answers at once with its status. Every
     * read model that shares the projection's processor is rebuilt with it, in the same pass.
     */
    public Status replay(String name) {
        StreamingEventProcessor processor = processor(name);
        long head = head();
        models.keySet().stream().filter(other -> processor(other) == processor)
                .forEach(other -> rebuildTargets.put(other, head));
        processor.shutDown();
        // every projection of the processor starts again from the first event, a stopped one too
        failures.clear();
        processor.resetTokens();
        processor.start();
        return status(name);
    }

    /** Refuses to answer from a read model that is being rebuilt. */
    public void ensureComplete(ReadModel model) {
        String name = model.processingGroup();
        // Every list and get asks this: with no replay under way it answers from memory, without
        // the two queries (head and segments) that a full status needs.
        if (!rebuildTargets.containsKey(name)
                && processor(name).processingStatus().values().stream().noneMatch(Projections::behindItsReset)) {
            return;
        }
        Status status = status(name);
        if (status.rebuilding()) {
            throw new QueryRejection(QueryRejection.Kind.REBUILDING,
                    "The " + model.type() + " read model is being rebuilt from the event store",
                    Map.of("projection", status.name(), "progressPercent", status.progressPercent(),
                            "retryable", true));
        }
    }

    /**
     * Axon keeps a segment flagged as replaying until an event newer than the reset point arrives,
     * which on a quiet store may be never; what counts is whether every segment has read up to
     * where the store stood when the replay began.
     */
    private boolean rebuilding(String name, Map<Integer, EventTrackerStatus> claimed, int segments, long position) {
        Long target = rebuildTargets.get(name);
        if (target == null) {
            // e.g. a replay that was running when this process restarted
            return claimed.values().stream().anyMatch(Projections::behindItsReset);
        }
        boolean caughtUp = segments > 0 && claimed.size() == segments && position >= target;
        if (caughtUp && rebuildTargets.remove(name, target)) {
            tidy(models.get(name).table());
        }
        return !caughtUp;
    }

    /**
     * A rebuilt table has had most rows rewritten several times and carries the planner statistics
     * of an empty table, so filtered lists would get plans for an empty table (a full sort where a
     * walk along an index would stop after one page) until autovacuum came by, minutes later.
     * Vacuuming and analysing it at once, in the background, gives the first readers the plans
     * the table deserves.
     */
    private void tidy(String table) {
        CompletableFuture.runAsync(() -> {
            try {
                boolean postgres = jdbc.execute((ConnectionCallback<Boolean>) c ->
                        c.getMetaData().getDatabaseProductName().equalsIgnoreCase("PostgreSQL"));
                jdbc.execute(postgres ? "vacuum (analyze) " + table : "analyze table " + table);
            } catch (RuntimeException e) {
                log.warn("Could not vacuum and analyse {} after its replay; autovacuum will", table, e);
            }
        });
    }

    private static boolean behindItsReset(EventTrackerStatus status) {
        OptionalLong reset = status.getResetPosition();
        return status.isReplaying() && reset.isPresent()
                && status.getCurrentPosition().orElse(0L) < reset.getAsLong();
    }

    private StreamingEventProcessor processor(String name) {
        if (!models.containsKey(name)) {
            throw QueryRejection.notFound("projection", name);
        }
        return processing.eventProcessorByProcessingGroup(name, StreamingEventProcessor.class)
                .orElseThrow(() -> QueryRejection.notFound("projection", name));
    }

    private long head() {
        TrackingToken head = eventStore.createHeadToken();
        OptionalLong position = head == null ? OptionalLong.empty() : head.position();
        return position.orElse(0L);
    }
}
