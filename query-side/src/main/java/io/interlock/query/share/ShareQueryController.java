package io.interlock.query.share;

import io.interlock.share.AccessRulesStatus;
import io.interlock.share.ShareStatus;
import io.interlock.query.access.Reader;
import io.interlock.query.overview.Page;
import io.interlock.query.replay.Projections;
import io.interlock.query.web.QueryRejection;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Shares for dashboards, each with its snapshots (and their read-lease owners) and access rules:
 * list with filters, paging and sorting; get by id with read-your-writes.
 */
@RestController
@RequestMapping("/v1/shares")
public class ShareQueryController {

    static final int MAX_PAGE_SIZE = 500;
    private static final Duration POLL = Duration.ofMillis(25);

    private final ShareViews views;
    private final ShareReadModel model;
    private final Projections projections;
    private final Duration minVersionWait;

    public ShareQueryController(ShareViews views, ShareReadModel model, Projections projections,
                                   @Value("${interlock.query.min-version-wait:PT5S}") Duration minVersionWait) {
        this.views = views;
        this.model = model;
        this.projections = projections;
        this.minVersionWait = minVersionWait;
    }

    @GetMapping
    public Page<ShareView> list(@RequestParam(required = false) String status,
                                   @RequestParam(required = false) String accessRulesStatus,
                                   @RequestParam(required = false) Boolean busy,
                                   @RequestParam(required = false) String tenant,
                                   @RequestParam(defaultValue = "0") int page,
                                   @RequestParam(defaultValue = "50") int size,
                                   @RequestParam(defaultValue = "id,asc") String sort) {
        projections.ensureComplete(model);
        if (page < 0) {
            throw QueryRejection.invalid("page", "page must not be negative");
        }
        if (size < 1 || size > MAX_PAGE_SIZE) {
            throw QueryRejection.invalid("size", "size must be between 1 and " + MAX_PAGE_SIZE);
        }
        String[] sortParts = sort.split(",", -1);
        String column = ShareViews.SORTABLE.get(sortParts[0]);
        boolean descending = sortParts.length > 1 && sortParts[1].equalsIgnoreCase("desc");
        if (column == null || sortParts.length > 2
                || sortParts.length == 2 && !sortParts[1].matches("(?i)asc|desc")) {
            throw QueryRejection.invalid("sort", "sort is one of " + ShareViews.SORTABLE.keySet()
                    + ", optionally followed by ,asc or ,desc");
        }
        String scope = Reader.current().tenantScope();
        // A member asking for another tenant sees nothing, exactly as if that tenant had nothing.
        String tenantFilter = scope != null ? scope : tenant;
        if (scope != null && tenant != null && !tenant.equals(scope)) {
            return new Page<>(List.of(), page, size, 0);
        }
        ShareViews.Filter filter = new ShareViews.Filter(tenantFilter, enums(ShareStatus.class, "status", status),
                enums(AccessRulesStatus.class, "accessRulesStatus", accessRulesStatus), busy);
        return views.list(filter, page, size, column, descending);
    }

    /**
     * With {@code minVersion}, waits (up to a bound) until the projection has applied that version,
     * so a client that just sent a command reads its own write.
     */
    @GetMapping("/{id}")
    public ResponseEntity<ShareView> get(@PathVariable String id, @RequestParam(required = false) Long minVersion)
            throws InterruptedException {
        projections.ensureComplete(model);
        Reader reader = Reader.current();
        Instant giveUp = Instant.now().plus(minVersionWait);
        while (true) {
            Optional<ShareView> view = views.find(id).filter(v -> reader.sees(v.tenant()));
            boolean reached = view.isPresent() && (minVersion == null || view.get().version() >= minVersion);
            if (reached) {
                return ResponseEntity.ok().eTag("\"" + view.get().version() + "\"").body(view.get());
            }
            if (minVersion == null || Instant.now().isAfter(giveUp)) {
                if (view.isEmpty() && minVersion == null) {
                    throw QueryRejection.notFound("share", id);
                }
                throw new QueryRejection(QueryRejection.Kind.NOT_YET_PROJECTED,
                        "Share " + id + " has not reached version " + minVersion + " in the read model yet",
                        Map.of("resourceId", id, "minVersion", minVersion, "retryable", true));
            }
            Thread.sleep(POLL.toMillis());
        }
    }

    private static <E extends Enum<E>> List<E> enums(Class<E> type, String field, String csv) {
        if (csv == null || csv.isBlank()) {
            return null;
        }
        try {
            return Arrays.stream(csv.split(",")).map(String::trim).map(v -> Enum.valueOf(type, v)).toList();
        } catch (IllegalArgumentException e) {
            throw QueryRejection.invalid(field, field + " must be one or more of " + Arrays.toString(type.getEnumConstants()));
        }
    }
}
