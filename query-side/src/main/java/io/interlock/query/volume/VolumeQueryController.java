package io.interlock.query.volume;

import io.interlock.query.overview.Page;
import io.interlock.query.overview.Queries;
import io.interlock.query.replay.Projections;
import io.interlock.volume.DeletionStatus;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.time.Duration;

/**
 * Volumes for dashboards: list with filters, paging and sorting; get by id with read-your-writes.
 * Volumes have no tenant: every authenticated reader sees every volume.
 */
@RestController
@RequestMapping("/v1/volumes")
public class VolumeQueryController {

    private final VolumeViews views;
    private final VolumeReadModel model;
    private final Projections projections;
    private final Duration minVersionWait;

    public VolumeQueryController(VolumeViews views, VolumeReadModel model, Projections projections,
                                 @Value("${interlock.query.min-version-wait:PT5S}") Duration minVersionWait) {
        this.views = views;
        this.model = model;
        this.projections = projections;
        this.minVersionWait = minVersionWait;
    }

    @GetMapping
    public Page<VolumeView> list(@RequestParam(required = false) String deletionStatus,
                                 @RequestParam(required = false) Boolean locked,
                                 @RequestParam(required = false) String lockHolder,
                                 @RequestParam(defaultValue = "0") int page,
                                 @RequestParam(defaultValue = "50") int size,
                                 @RequestParam(defaultValue = "id,asc") String sort) {
        projections.ensureComplete(model);
        Queries.checkPage(page, size);
        Queries.Sort order = Queries.sort(sort, VolumeViews.SORTABLE);
        VolumeViews.Filter filter = new VolumeViews.Filter(
                Queries.enums(DeletionStatus.class, "deletionStatus", deletionStatus), locked, lockHolder);
        return views.list(filter, page, size, order);
    }

    @GetMapping("/{id}")
    public ResponseEntity<VolumeView> get(@PathVariable String id, @RequestParam(required = false) Long minVersion)
            throws InterruptedException {
        projections.ensureComplete(model);
        return Queries.awaitVersion("volume", id, minVersion, minVersionWait, () -> views.find(id),
                v -> true, VolumeView::version);
    }
}
