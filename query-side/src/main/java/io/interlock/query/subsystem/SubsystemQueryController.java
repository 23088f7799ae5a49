package io.interlock.query.subsystem;

import io.interlock.query.access.Reader;
import io.interlock.query.overview.Page;
import io.interlock.query.overview.Queries;
import io.interlock.query.replay.Projections;
import io.interlock.subsystem.NamespaceStatus;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.time.Duration;
import java.util.List;

/** Subsystems for dashboards: list with filters, paging and sorting; get by nqn with read-your-writes. */
@RestController
@RequestMapping("/v1/subsystems")
public class SubsystemQueryController {

    private final SubsystemViews views;
    private final SubsystemReadModel model;
    private final Projections projections;
    private final Duration minVersionWait;

    public SubsystemQueryController(SubsystemViews views, SubsystemReadModel model, Projections projections,
                                    @Value("${interlock.query.min-version-wait:PT5S}") Duration minVersionWait) {
        this.views = views;
        this.model = model;
        this.projections = projections;
        this.minVersionWait = minVersionWait;
    }

    @GetMapping
    public Page<SubsystemView> list(@RequestParam(required = false) String nodeId,
                                    @RequestParam(required = false) String status,
                                    @RequestParam(required = false) Boolean dedicated,
                                    @RequestParam(required = false) Boolean full,
                                    @RequestParam(required = false) String namespaceStatus,
                                    @RequestParam(required = false) String tenant,
                                    @RequestParam(defaultValue = "0") int page,
                                    @RequestParam(defaultValue = "50") int size,
                                    @RequestParam(defaultValue = "id,asc") String sort) {
        projections.ensureComplete(model);
        Queries.checkPage(page, size);
        Queries.Sort order = Queries.sort(sort, SubsystemViews.SORTABLE);
        List<SubsystemView.Status> statuses = Queries.enums(SubsystemView.Status.class, "status", status);
        List<NamespaceStatus> namespaceStatuses = Queries.enums(NamespaceStatus.class, "namespaceStatus",
                namespaceStatus);
        Reader reader = Reader.current();
        if (reader.asksForAnotherTenant(tenant)) {
            return new Page<>(List.of(), page, size, 0);
        }
        SubsystemViews.Filter filter = new SubsystemViews.Filter(reader.tenantFilter(tenant),
                nodeId == null ? null : reader.resource(nodeId), statuses,
                dedicated, full, namespaceStatuses);
        return views.list(filter, page, size, order);
    }

    @GetMapping("/{nqn}")
    public ResponseEntity<SubsystemView> get(@PathVariable String nqn, @RequestParam(required = false) Long minVersion)
            throws InterruptedException {
        projections.ensureComplete(model);
        Reader reader = Reader.current();
        return Queries.awaitVersion("subsystem", nqn, minVersion, minVersionWait,
                () -> views.find(reader.resource(nqn)),
                v -> reader.sees(v.tenant()), SubsystemView::version);
    }
}
