package io.interlock.query.replacement;

import io.interlock.query.overview.Page;
import io.interlock.query.overview.Queries;
import io.interlock.query.replay.Projections;
import io.interlock.replacement.RequestState;
import io.interlock.replacement.StepState;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.time.Duration;

/**
 * Replacement requests, with their steps, for dashboards: list with filters, paging and sorting;
 * get by id with read-your-writes. Requests have no tenant: every authenticated reader sees them.
 */
@RestController
@RequestMapping("/v1/replacements")
public class ReplacementQueryController {

    private final ReplacementViews views;
    private final ReplacementReadModel model;
    private final Projections projections;
    private final Duration minVersionWait;

    public ReplacementQueryController(ReplacementViews views, ReplacementReadModel model, Projections projections,
                                      @Value("${interlock.query.min-version-wait:PT5S}") Duration minVersionWait) {
        this.views = views;
        this.model = model;
        this.projections = projections;
        this.minVersionWait = minVersionWait;
    }

    /** {@code stepState} matches requests with at least one step in one of the states given. */
    @GetMapping
    public Page<ReplacementView> list(@RequestParam(required = false) String state,
                                      @RequestParam(required = false) Boolean held,
                                      @RequestParam(required = false) String operatingSagaId,
                                      @RequestParam(required = false) Boolean targetDeleted,
                                      @RequestParam(required = false) String stepState,
                                      @RequestParam(required = false) String regionSnapshotId,
                                      @RequestParam(required = false) String snapshotVolumeId,
                                      @RequestParam(defaultValue = "0") int page,
                                      @RequestParam(defaultValue = "50") int size,
                                      @RequestParam(defaultValue = "id,asc") String sort) {
        projections.ensureComplete(model);
        Queries.checkPage(page, size);
        Queries.Sort order = Queries.sort(sort, ReplacementViews.SORTABLE);
        ReplacementViews.Filter filter = new ReplacementViews.Filter(
                Queries.enums(RequestState.class, "state", state), held, operatingSagaId, targetDeleted,
                Queries.enums(StepState.class, "stepState", stepState), regionSnapshotId, snapshotVolumeId);
        return views.list(filter, page, size, order);
    }

    @GetMapping("/{id}")
    public ResponseEntity<ReplacementView> get(@PathVariable String id,
                                               @RequestParam(required = false) Long minVersion)
            throws InterruptedException {
        projections.ensureComplete(model);
        return Queries.awaitVersion("replacement", id, minVersion, minVersionWait, () -> views.find(id),
                v -> true, ReplacementView::version);
    }
}
