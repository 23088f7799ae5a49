package io.interlock.query.instance;

import io.interlock.instance.TaskState;
import io.interlock.instance.VmState;
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

/** Instances for dashboards: list with filters, paging and sorting; get by id with read-your-writes. */
@RestController
@RequestMapping("/v1/instances")
public class InstanceQueryController {


    private final InstanceViews views;
    private final InstanceReadModel model;
    private final Projections projections;
    private final Duration minVersionWait;

    public InstanceQueryController(InstanceViews views, InstanceReadModel model, Projections projections,
                                   @Value("${interlock.query.min-version-wait:PT5S}") Duration minVersionWait) {
        this.views = views;
        this.model = model;
        this.projections = projections;
        this.minVersionWait = minVersionWait;
    }

    @GetMapping
    public Page<InstanceView> list(@RequestParam(required = false) String vmState,
                                   @RequestParam(required = false) String taskState,
                                   @RequestParam(required = false) Boolean busy,
                                   @RequestParam(required = false) Boolean locked,
                                   @RequestParam(required = false) String previousVmState,
                                   @RequestParam(required = false) String tenant,
                                   @RequestParam(defaultValue = "0") int page,
                                   @RequestParam(defaultValue = "50") int size,
                                   @RequestParam(defaultValue = "id,asc") String sort) {
        projections.ensureComplete(model);
        Queries.checkPage(page, size);
        Queries.Sort order = Queries.sort(sort, InstanceViews.SORTABLE);
        Reader reader = Reader.current();
        String tenantFilter = reader.tenantFilter(tenant);
        if (reader.asksForAnotherTenant(tenant)) {
            return new Page<>(List.of(), page, size, 0);
        }
        InstanceViews.Filter filter = new InstanceViews.Filter(tenantFilter,
                Queries.enums(VmState.class, "vmState", vmState), Queries.enums(TaskState.class, "taskState", taskState),
                busy, locked, Queries.single(VmState.class, "previousVmState", previousVmState));
        return views.list(filter, page, size, order);
    }

    /**
     * With {@code minVersion}, waits (up to a bound) until the projection has applied that version,
     * so a client that just sent a command reads its own write.
     */
    @GetMapping("/{id}")
    public ResponseEntity<InstanceView> get(@PathVariable String id, @RequestParam(required = false) Long minVersion)
            throws InterruptedException {
        projections.ensureComplete(model);
        Reader reader = Reader.current();
        return Queries.awaitVersion("instance", id, minVersion, minVersionWait,
                () -> views.find(reader.resource(id)),
                v -> reader.sees(v.tenant()), InstanceView::version);
    }
}
