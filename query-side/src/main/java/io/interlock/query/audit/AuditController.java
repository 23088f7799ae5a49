package io.interlock.query.audit;

import io.interlock.query.web.QueryRejection;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The audit trail (auditors and admins), read from the event store itself: never from a read
 * model, and never starting at a snapshot, so it shows every change exactly as it was recorded.
 */
@RestController
@RequestMapping("/v1/audit")
public class AuditController {

    static final int MAX_PAGE = 1000;

    private final EventStorageEngine events;
    private final AuditedTypes types;

    public AuditController(EventStorageEngine events, AuditedTypes types) {
        this.events = events;
        this.types = types;
    }

    public record Entry(long sequence, String type, Instant timestamp, Object payload, Map<String, Object> metadata) {
    }

    @GetMapping("/{type}/{id}/events")
    public List<Entry> history(@PathVariable String type, @PathVariable String id) {
        return history(types.find(type).orElseThrow(() -> QueryRejection.notFound("resource type", type)), id)
                .stream().map(AuditController::entry).toList();
    }

    public record StateAsOf(String type, String id, long version, Instant at, Object state) {
    }

    /** The state as it was at a version or an instant, computed by the same fold the aggregate uses. */
    @GetMapping("/{type}/{id}/state")
    public StateAsOf stateAsOf(@PathVariable String type, @PathVariable String id,
                               @RequestParam(required = false) Long version,
                               @RequestParam(required = false) String at) {
        AuditedTypes.AuditedType audited = types.find(type)
                .orElseThrow(() -> QueryRejection.notFound("resource type", type));
        if ((version == null) == (at == null)) {
            throw QueryRejection.invalid("version", "Give exactly one of version or at");
        }
        if (version != null && version < 0) {
            throw QueryRejection.invalid("version", "version must not be negative");
        }
        Instant instant = at == null ? null : instant(at);
        Object state = null;
        DomainEventMessage<?> last = null;
        for (DomainEventMessage<?> event : history(audited, id)) {
            boolean after = version != null ? event.getSequenceNumber() > version : event.getTimestamp().isAfter(instant);
            if (after) {
                break;
            }
            state = audited.fold().apply(state, event.getPayload());
            last = event;
        }
        if (version != null && last != null && last.getSequenceNumber() < version) {
            // the state "at version 999" of a resource at version 3 is not version 3: that version does not exist yet
            throw new QueryRejection(QueryRejection.Kind.NOT_FOUND, "The " + type + " " + id + " has no version "
                    + version + " yet; its latest is " + last.getSequenceNumber(),
                    Map.of("resourceId", id, "version", version, "latestVersion", last.getSequenceNumber()));
        }
        if (last == null) {
            throw new QueryRejection(QueryRejection.Kind.NOT_FOUND, "The " + type + " " + id + " did not exist yet",
                    Map.of("resourceId", id));
        }
        return new StateAsOf(type, id, last.getSequenceNumber(), last.getTimestamp(), state);
    }

    public record GlobalEntry(long position, String aggregateId, Long sequence, String type, Instant timestamp,
                              Object payload, Map<String, Object> metadata) {
    }

    public record GlobalPage(List<GlobalEntry> events, Long next) {
    }

    /** The global event stream in store order, a page at a time, for export. */
    @GetMapping("/events")
    public GlobalPage stream(@RequestParam(defaultValue = "0") long after,
                             @RequestParam(defaultValue = "100") int limit) {
        if (after < 0) {
            throw QueryRejection.invalid("after", "after must not be negative");
        }
        if (limit < 1 || limit > MAX_PAGE) {
            throw QueryRejection.invalid("limit", "limit must be between 1 and " + MAX_PAGE);
        }
        GapAwareTrackingToken from = after == 0 ? null : GapAwareTrackingToken.newInstance(after, List.of());
        List<GlobalEntry> page;
        try (Stream<? extends TrackedEventMessage<?>> stream = events.readEvents(from, false)) {
            page = stream.limit(limit).map(AuditController::globalEntry).toList();
        }
        return new GlobalPage(page, page.isEmpty() ? null : page.get(page.size() - 1).position());
    }

    private List<DomainEventMessage<?>> history(AuditedTypes.AuditedType type, String id) {
        List<DomainEventMessage<?>> all = events.readEvents(id, 0).asStream()
                .<DomainEventMessage<?>>map(e -> e).toList();
        if (all.isEmpty() || !type.owns(all.get(0).getPayload())) {
            throw QueryRejection.notFound(type.type(), id);
        }
        return all;
    }

    private static Entry entry(DomainEventMessage<?> event) {
        return new Entry(event.getSequenceNumber(), event.getPayloadType().getSimpleName(), event.getTimestamp(),
                event.getPayload(), metadata(event.getMetaData()));
    }

    private static GlobalEntry globalEntry(TrackedEventMessage<?> event) {
        DomainEventMessage<?> domain = event instanceof DomainEventMessage<?> d ? d : null;
        return new GlobalEntry(event.trackingToken().position().orElse(-1), domain == null ? null
                : domain.getAggregateIdentifier(), domain == null ? null : domain.getSequenceNumber(),
                event.getPayloadType().getSimpleName(), event.getTimestamp(), event.getPayload(),
                metadata(event.getMetaData()));
    }

    private static Map<String, Object> metadata(Map<String, ?> metadata) {
        return metadata.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> (Object) e.getValue(),
                (a, b) -> a, java.util.TreeMap::new));
    }

    private static Instant instant(String at) {
        try {
            return Instant.parse(at);
        } catch (DateTimeParseException e) {
            throw QueryRejection.invalid("at", "at must be an ISO-8601 instant such as 2026-01-01T00:00:00Z");
        }
    }
}
