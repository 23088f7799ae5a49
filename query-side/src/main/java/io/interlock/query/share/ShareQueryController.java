package io.interlock.query.share;

import io.interlock.share.AccessRulesStatus;
import io.interlock.share.ShareStatus;
import io.interlock.query.access.Reader;
import io.interlock.query.overview.Page;
import io.interlock.query.overview.Queries;
import io.interlock.query.replay.Projections;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.time.Duration;
import java.util.List;

/**
 * Shares for dashboards, each with its snapshots (and their read-lease owners) and access rules:
 * list with filters, paging and sorting; get by id with read-your-writes.
 */
@RestController
@RequestMapping("/v1/shares")
public class ShareQueryController {


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
        Queries.checkPage(page, size);
        Queries.Sort order = Queries.sort(sort, ShareViews.SORTABLE);
        Reader reader = Reader.current();
        String tenantFilter = reader.tenantFilter(tenant);
        if (reader.asksForAnotherTenant(tenant)) {
            return new Page<>(List.of(), page, size, 0);
        }
        ShareViews.Filter filter = new ShareViews.Filter(tenantFilter, Queries.enums(ShareStatus.class, "status", status),
                Queries.enums(AccessRulesStatus.class, "accessRulesStatus", accessRulesStatus), busy);
        return views.list(filter, page, size, order);
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
        return Queries.awaitVersion("share", id, minVersion, minVersionWait, () -> views.find(reader.resource(id)),
                v -> reader.sees(v.tenant()), ShareView::version);
    }
}
