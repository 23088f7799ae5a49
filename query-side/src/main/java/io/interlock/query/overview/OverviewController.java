package io.interlock.query.overview;

import io.interlock.query.access.Reader;
import io.interlock.query.replay.Projections;
import io.interlock.query.web.QueryRejection;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Views across every resource type: counts per state, and resources stuck in a transition. */
@RestController
public class OverviewController {

    private final List<ReadModel> models;
    private final Projections projections;

    public OverviewController(List<ReadModel> models, Projections projections) {
        this.models = models;
        this.projections = projections;
    }

    @GetMapping("/v1/stats")
    public Map<String, Map<String, Map<String, Long>>> stats() {
        String tenant = Reader.current().tenantScope();
        Map<String, Map<String, Map<String, Long>>> stats = new LinkedHashMap<>();
        for (ReadModel model : models) {
            projections.ensureComplete(model);
            stats.put(model.type(), model.counts(tenant));
        }
        return stats;
    }

    public record StuckAnswer(Duration olderThan, Instant before, List<ReadModel.Stuck> items) {
    }

    @GetMapping("/v1/stuck")
    public StuckAnswer stuck(@RequestParam(defaultValue = "PT10M") String olderThan) {
        Duration age;
        try {
            age = Duration.parse(olderThan);
        } catch (DateTimeParseException e) {
            throw QueryRejection.invalid("olderThan", "olderThan must be an ISO-8601 duration such as PT10M");
        }
        if (age.isNegative()) {
            throw QueryRejection.invalid("olderThan", "olderThan must not be negative");
        }
        String tenant = Reader.current().tenantScope();
        Instant reachesBack;
        try {
            reachesBack = Instant.now().minus(age);
        } catch (DateTimeException | ArithmeticException tooLong) {
            throw QueryRejection.invalid("olderThan", "olderThan reaches back before the start of time");
        }
        // nothing here is older than 1970, and the database's timestamps end long before Java's
        if (reachesBack.isBefore(Instant.EPOCH)) {
            throw QueryRejection.invalid("olderThan", "olderThan reaches back before 1970");
        }
        Instant before = reachesBack;
        List<ReadModel.Stuck> items = models.stream()
                .peek(projections::ensureComplete)
                .flatMap(m -> m.stuckSince(before, tenant).stream())
                .sorted(Comparator.comparing(ReadModel.Stuck::since))
                .toList();
        return new StuckAnswer(age, before, items);
    }
}
