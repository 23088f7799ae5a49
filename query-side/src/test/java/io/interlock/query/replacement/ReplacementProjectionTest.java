package io.interlock.query.replacement;

import io.interlock.query.support.ReadModelSchema;
import io.interlock.query.overview.Queries;
import io.interlock.command.support.TestDatabase;
import io.interlock.query.stream.ChangeFeed;
import io.interlock.replacement.ReplacementAction;
import io.interlock.replacement.ReplacementEvents.ReplacementEvent;
import io.interlock.replacement.ReplacementEvents.ReplacementRequested;
import io.interlock.replacement.ReplacementEvents.ReplacementStepAdded;
import io.interlock.replacement.ReplacementEvents.ReplacementStepTransitioned;
import io.interlock.replacement.ReplacementEvents.ReplacementStepVolumeDeleted;
import io.interlock.replacement.ReplacementEvents.ReplacementTargetDeleted;
import io.interlock.replacement.ReplacementEvents.ReplacementTransitioned;
import io.interlock.replacement.RequestState;
import io.interlock.replacement.StepAction;
import io.interlock.replacement.StepState;
import org.axonframework.eventhandling.ReplayStatus;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.json.JsonMapper;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The replacement projection's handlers, called directly, writing to the real
 * {@code replacement_view} table in PostgreSQL (migrated by the query side's own Flyway scripts).
 */
class ReplacementProjectionTest {

    private static final String SCHEMA = TestDatabase.schema("projection_replacement");
    private static JdbcTemplate jdbc;
    private ReplacementProjection projection;
    private ReplacementViews views;
    private final Instant t0 = Instant.parse("2026-03-01T10:00:00Z");

    @BeforeAll
    static void database() {
        jdbc = ReadModelSchema.migrated(SCHEMA);
    }

    @BeforeEach
    void emptyTable() {
        views = new ReplacementViews(jdbc, JsonMapper.builder().build());
        projection = new ReplacementProjection(views, new ChangeFeed());
        projection.reset();
    }

    private void deliver(ReplacementEvent event, long sequence, Instant at) {
        projection.on(event, sequence, at, ReplayStatus.REGULAR);
    }

    private static ReplacementTransitioned moved(String id, ReplacementAction action, String saga, RequestState to,
                                                 String holder) {
        return new ReplacementTransitioned(id, action, saga, to, holder, Map.of());
    }

    /** Events 0..4: requested, then saga s-1 drives it to RUNNING. */
    private long running(String id) {
        deliver(new ReplacementRequested(id, "rs-" + id, "snap-" + id), 0, t0);
        deliver(moved(id, ReplacementAction.BEGIN_ALLOCATION, "s-1", RequestState.ALLOCATING, "s-1"), 1, t0);
        deliver(new ReplacementTransitioned(id, ReplacementAction.FINISH_ALLOCATION, "s-1",
                RequestState.REPLACEMENT_DONE, null, Map.of("newRegionId", "region-9", "newRegionVolumeId", "vol-new",
                "oldSnapshotVolumeId", "vol-old")), 2, t0);
        deliver(moved(id, ReplacementAction.BEGIN_OLD_VOLUME_DELETION, "s-1", RequestState.DELETING_OLD_VOLUME,
                "s-1"), 3, t0);
        deliver(moved(id, ReplacementAction.FINISH_OLD_VOLUME_DELETION, "s-1", RequestState.RUNNING, null), 4, t0);
        return 4;
    }

    @Test
    void aNewRequestIsRequestedFreeAndOffersTheTableTransitions() {
        deliver(new ReplacementRequested("rr-1", "rs-1", "snap-1"), 0, t0);

        ReplacementView view = views.find("rr-1").orElseThrow();
        assertThat(view.state()).isEqualTo(RequestState.REQUESTED);
        assertThat(view.operatingSagaId()).isNull();
        assertThat(view.regionSnapshotId()).isEqualTo("rs-1");
        assertThat(view.snapshotVolumeId()).isEqualTo("snap-1");
        assertThat(view.steps()).isEmpty();
        assertThat(view.allowedActions()).containsExactly("begin-allocation", "complete-from-requested");
        assertThat(view.stateEnteredAt()).isEqualTo(t0);
        assertThat(view.version()).isZero();
    }

    @Test
    void theOperatingSagaFinishAllocationParametersAndStateStartAreShown() {
        deliver(new ReplacementRequested("rr-2", "rs-2", "snap-2"), 0, t0);
        deliver(moved("rr-2", ReplacementAction.BEGIN_ALLOCATION, "s-1", RequestState.ALLOCATING, "s-1"), 1,
                t0.plusSeconds(10));
        deliver(new ReplacementTargetDeleted("rr-2"), 2, t0.plusSeconds(20));

        ReplacementView allocating = views.find("rr-2").orElseThrow();
        assertThat(allocating.state()).isEqualTo(RequestState.ALLOCATING);
        assertThat(allocating.operatingSagaId()).isEqualTo("s-1");
        assertThat(allocating.targetDeleted()).isTrue();
        // target-deleted changes no state: the allocation still started at t0+10
        assertThat(allocating.stateEnteredAt()).isEqualTo(t0.plusSeconds(10));
        assertThat(allocating.updatedAt()).isEqualTo(t0.plusSeconds(20));
        assertThat(allocating.allowedActions()).containsExactly("undo-allocation", "finish-allocation");
        assertThat(views.heldSince(t0.plusSeconds(11))).extracting(ReplacementView::id).containsExactly("rr-2");
        assertThat(views.heldSince(t0.plusSeconds(9))).isEmpty();

        deliver(new ReplacementTransitioned("rr-2", ReplacementAction.FINISH_ALLOCATION, "s-1",
                RequestState.REPLACEMENT_DONE, null, Map.of("newRegionId", "region-9", "newRegionVolumeId", "vol-new",
                "oldSnapshotVolumeId", "vol-old")), 3, t0.plusSeconds(30));

        ReplacementView done = views.find("rr-2").orElseThrow();
        assertThat(done.operatingSagaId()).isNull();
        assertThat(done.newRegionId()).isEqualTo("region-9");
        assertThat(done.newRegionVolumeId()).isEqualTo("vol-new");
        assertThat(done.oldSnapshotVolumeId()).isEqualTo("vol-old");
        assertThat(done.stateEnteredAt()).isEqualTo(t0.plusSeconds(30));
        assertThat(views.heldSince(t0.plusSeconds(60))).isEmpty();
    }

    @Test
    void stepsAreShownInOrderWithTheirStateSagaAndAllowedActions() {
        running("rr-3");
        deliver(new ReplacementStepAdded("rr-3", "vol-a"), 5, t0.plusSeconds(5));
        deliver(new ReplacementStepAdded("rr-3", "vol-b"), 6, t0.plusSeconds(6));
        deliver(new ReplacementStepTransitioned("rr-3", "vol-a", StepAction.BEGIN, "st-1", StepState.RUNNING, "st-1"),
                7, t0.plusSeconds(7));
        deliver(new ReplacementStepVolumeDeleted("rr-3", "vol-b"), 8, t0.plusSeconds(8));

        ReplacementView view = views.find("rr-3").orElseThrow();
        assertThat(view.steps()).extracting(ReplacementView.StepView::volumeId).containsExactly("vol-a", "vol-b");
        ReplacementView.StepView a = view.steps().get(0);
        assertThat(a.state()).isEqualTo(StepState.RUNNING);
        assertThat(a.operatingSagaId()).isEqualTo("st-1");
        assertThat(a.allowedActions()).containsExactly("undo", "complete");
        assertThat(a.updatedAt()).isEqualTo(t0.plusSeconds(7));
        ReplacementView.StepView b = view.steps().get(1);
        assertThat(b.state()).isEqualTo(StepState.VOLUME_DELETED);
        assertThat(b.allowedActions()).isEmpty();
        assertThat(b.updatedAt()).isEqualTo(t0.plusSeconds(8));
        // a step is still running and the target is not deleted: the request cannot begin completing
        assertThat(view.allowedActions()).doesNotContain("begin-completing");

        assertThat(ids(filter(null, null, List.of(StepState.RUNNING)))).containsExactly("rr-3");
        assertThat(ids(filter(null, null, List.of(StepState.COMPLETE)))).isEmpty();
        assertThat(views.counts().get("stepState")).containsEntry("RUNNING", 1L).containsEntry("VOLUME_DELETED", 1L);
        assertThat(views.withStepIn(StepState.RUNNING)).extracting(ReplacementView::id).containsExactly("rr-3");

        deliver(new ReplacementStepTransitioned("rr-3", "vol-a", StepAction.COMPLETE, "st-1", StepState.COMPLETE,
                null), 9, t0.plusSeconds(9));
        deliver(new ReplacementStepTransitioned("rr-3", "vol-a", StepAction.VOLUME_DELETED, "st-2",
                StepState.VOLUME_DELETED, null), 10, t0.plusSeconds(10));
        deliver(new ReplacementTargetDeleted("rr-3"), 11, t0.plusSeconds(11));

        ReplacementView settled = views.find("rr-3").orElseThrow();
        assertThat(settled.steps()).extracting(ReplacementView.StepView::state)
                .containsExactly(StepState.VOLUME_DELETED, StepState.VOLUME_DELETED);
        // vol-b's step was not touched since t0+8
        assertThat(settled.steps().get(1).updatedAt()).isEqualTo(t0.plusSeconds(8));
        assertThat(settled.allowedActions()).containsExactly("begin-completing");
        assertThat(ids(filter(null, null, List.of(StepState.RUNNING)))).isEmpty();
    }

    @Test
    void anEventDeliveredTwiceIsAppliedOnce() {
        running("rr-4");
        ReplacementStepAdded added = new ReplacementStepAdded("rr-4", "vol-a");
        deliver(added, 5, t0.plusSeconds(5));
        deliver(new ReplacementStepTransitioned("rr-4", "vol-a", StepAction.BEGIN, "st-1", StepState.RUNNING, "st-1"),
                6, t0.plusSeconds(6));

        // redelivery of older events, e.g. after a processor restart before its token was stored:
        // folding the step-added again would put the step back to REQUESTED
        deliver(added, 5, t0.plusSeconds(5));
        deliver(moved("rr-4", ReplacementAction.BEGIN_ALLOCATION, "s-1", RequestState.ALLOCATING, "s-1"), 1, t0);

        ReplacementView view = views.find("rr-4").orElseThrow();
        assertThat(view.state()).isEqualTo(RequestState.RUNNING);
        assertThat(view.operatingSagaId()).isNull();
        assertThat(view.steps()).singleElement().satisfies(step -> {
            assertThat(step.state()).isEqualTo(StepState.RUNNING);
            assertThat(step.operatingSagaId()).isEqualTo("st-1");
        });
        assertThat(view.version()).isEqualTo(6);
        assertThat(view.updatedAt()).isEqualTo(t0.plusSeconds(6));
    }

    @Test
    void filtersAndCounts() {
        running("rr-5");
        deliver(new ReplacementRequested("rr-6", "rs-6", "snap-6"), 0, t0);
        deliver(moved("rr-6", ReplacementAction.BEGIN_ALLOCATION, "s-6", RequestState.ALLOCATING, "s-6"), 1, t0);
        deliver(new ReplacementRequested("rr-7", "rs-7", "snap-7"), 0, t0);

        assertThat(ids(filter(List.of(RequestState.RUNNING, RequestState.ALLOCATING), null, null)))
                .containsExactly("rr-5", "rr-6");
        assertThat(ids(filter(null, true, null))).containsExactly("rr-6");
        assertThat(ids(filter(null, false, null))).containsExactly("rr-5", "rr-7");
        assertThat(ids(new ReplacementViews.Filter(null, null, "s-6", null, null, null, null))).containsExactly("rr-6");
        assertThat(ids(new ReplacementViews.Filter(null, null, null, null, null, "rs-7", null))).containsExactly("rr-7");
        assertThat(ids(new ReplacementViews.Filter(null, null, null, null, null, null, "snap-rr-5")))
                .containsExactly("rr-5");
        assertThat(ids(new ReplacementViews.Filter(null, null, null, true, null, null, null))).isEmpty();
        Map<String, Map<String, Long>> counts = views.counts();
        assertThat(counts.get("state")).containsEntry("RUNNING", 1L).containsEntry("ALLOCATING", 1L)
                .containsEntry("REQUESTED", 1L);
        assertThat(counts.get("held")).containsEntry("true", 1L).containsEntry("false", 2L);
        assertThat(counts.get("targetDeleted")).containsEntry("false", 3L);
        assertThat(counts.get("stepState")).isEmpty();
    }

    @Test
    void aResetEmptiesTheReadModel() {
        deliver(new ReplacementRequested("rr-8", "rs-8", "snap-8"), 0, t0);

        projection.reset();

        assertThat(views.find("rr-8")).isEmpty();
    }

    private static ReplacementViews.Filter filter(List<RequestState> states, Boolean held, List<StepState> steps) {
        return new ReplacementViews.Filter(states, held, null, null, steps, null, null);
    }

    private List<String> ids(ReplacementViews.Filter filter) {
        return views.list(filter, 0, 50, new Queries.Sort("request_id", false)).items().stream().map(ReplacementView::id).toList();
    }
}
