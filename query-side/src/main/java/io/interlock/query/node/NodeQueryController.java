package io.interlock.query.node;

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

/** Storage nodes for dashboards: list with filters, paging and sorting; get by id with read-your-writes. */
@RestController
@RequestMapping("/v1/nodes")
public class NodeQueryController {

    private final NodeViews views;
    private final NodeReadModel model;
    private final Projections projections;
    private final Duration minVersionWait;

    public NodeQueryController(NodeViews views, NodeReadModel model, Projections projections,
                               @Value("${interlock.query.min-version-wait:PT5S}") Duration minVersionWait) {
        this.views = views;
        this.model = model;
        this.projections = projections;
        this.minVersionWait = minVersionWait;
    }

    @GetMapping
    public Page<NodeView> list(@RequestParam(required = false) Boolean full,
                               @RequestParam(required = false) String tenant,
                               @RequestParam(defaultValue = "0") int page,
                               @RequestParam(defaultValue = "50") int size,
                               @RequestParam(defaultValue = "id,asc") String sort) {
        projections.ensureComplete(model);
        Queries.checkPage(page, size);
        Queries.Sort order = Queries.sort(sort, NodeViews.SORTABLE);
        Reader reader = Reader.current();
        if (reader.asksForAnotherTenant(tenant)) {
            return new Page<>(List.of(), page, size, 0);
        }
        return views.list(new NodeViews.Filter(reader.tenantFilter(tenant), full), page, size, order);
    }

    @GetMapping("/{nodeId}")
    public ResponseEntity<NodeView> get(@PathVariable String nodeId, @RequestParam(required = false) Long minVersion)
            throws InterruptedException {
        projections.ensureComplete(model);
        Reader reader = Reader.current();
        return Queries.awaitVersion("node", nodeId, minVersion, minVersionWait,
                () -> views.find(reader.resource(nodeId)),
                v -> reader.sees(v.tenant()), NodeView::version);
    }
}
