package io.interlock.query.replacement;

import io.interlock.query.overview.Queries;
import io.interlock.query.stream.ChangeFeed;
import io.interlock.query.support.H2;
import io.interlock.replacement.ReplacementAction;
import io.interlock.replacement.ReplacementEvents.ReplacementRequested;
import io.interlock.replacement.ReplacementEvents.ReplacementStepAdded;
import io.interlock.replacement.ReplacementEvents.ReplacementTransitioned;
import io.interlock.replacement.RequestState;
import io.interlock.replacement.StepState;
import org.axonframework.eventhandling.ReplayStatus;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.json.JsonMapper;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The embedded default runs the query side on H2 in PostgreSQL mode: the replacement migration
 * and SQL (JSON steps, the step-state filter, counts, the held list) must work there too.
 */
class ReplacementViewsOnH2Test {

    @Test
    void theReplacementReadModelRunsOnH2() {
        JdbcTemplate jdbc = H2.migrated("replacements");
        ReplacementViews views = new ReplacementViews(jdbc, JsonMapper.builder().build());
        ReplacementProjection projection = new ReplacementProjection(views, new ChangeFeed());
        Instant t0 = Instant.parse("2026-03-01T10:00:00Z");

        projection.on(new ReplacementRequested("rr-h2", "rs-h2", "snap-h2"), 0, t0, ReplayStatus.REGULAR);
        projection.on(new ReplacementTransitioned("rr-h2", ReplacementAction.BEGIN_ALLOCATION, "s-1",
                RequestState.ALLOCATING, "s-1", Map.of()), 1, t0.plusSeconds(1), ReplayStatus.REGULAR);
        projection.on(new ReplacementStepAdded("rr-h2", "vol-h2"), 2, t0.plusSeconds(2), ReplayStatus.REGULAR);
        projection.on(new ReplacementStepAdded("rr-h2", "vol-h2"), 2, t0.plusSeconds(2), ReplayStatus.REGULAR);

        ReplacementView view = views.find("rr-h2").orElseThrow();
        assertThat(view.operatingSagaId()).isEqualTo("s-1");
        assertThat(view.version()).isEqualTo(2);
        assertThat(view.steps()).singleElement().satisfies(s -> assertThat(s.state()).isEqualTo(StepState.REQUESTED));
        assertThat(views.list(new ReplacementViews.Filter(List.of(RequestState.ALLOCATING), true, null, false,
                List.of(StepState.REQUESTED), null, null), 0, 10, new Queries.Sort("state_entered_at", true)).items())
                .extracting(ReplacementView::id).containsExactly("rr-h2");
        assertThat(views.counts().get("stepState")).containsEntry("REQUESTED", 1L);
        assertThat(views.counts().get("targetDeleted")).containsEntry("false", 1L);
        assertThat(views.heldSince(t0.plusSeconds(5))).extracting(ReplacementView::id).containsExactly("rr-h2");
    }
}
