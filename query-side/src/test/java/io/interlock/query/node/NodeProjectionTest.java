package io.interlock.query.node;

import io.interlock.query.support.ReadModelSchema;
import io.interlock.query.overview.Queries;
import io.interlock.command.support.TestDatabase;
import io.interlock.node.NodeEvents.NodeEvent;
import io.interlock.node.NodeEvents.NodeRegistered;
import io.interlock.node.NodeEvents.SubsystemSlotClaimed;
import io.interlock.node.NodeEvents.SubsystemSlotReleased;
import io.interlock.query.stream.ChangeFeed;
import org.axonframework.eventhandling.ReplayStatus;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.json.JsonMapper;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The node projection's handlers, called directly, writing to the real {@code node_view} table in
 * PostgreSQL (migrated by the query side's own Flyway scripts).
 */
class NodeProjectionTest {

    private static final String SCHEMA = TestDatabase.schema("nodeprojection");
    private static JdbcTemplate jdbc;
    private NodeProjection projection;
    private NodeViews views;
    private final Instant t0 = Instant.parse("2026-03-01T10:00:00Z");

    @BeforeAll
    static void database() {
        jdbc = ReadModelSchema.migrated(SCHEMA);
    }

    @BeforeEach
    void emptyTable() {
        views = new NodeViews(jdbc, JsonMapper.builder().build());
        projection = new NodeProjection(views, new ChangeFeed());
        projection.reset();
    }

    private void deliver(NodeEvent event, long sequence, Instant at) {
        projection.on(event, sequence, at, ReplayStatus.REGULAR);
    }

    @Test
    void registrationMakesAnEmptyNode() {
        deliver(new NodeRegistered("sn-1", "acme", 3), 0, t0);

        NodeView view = views.find("sn-1").orElseThrow();
        assertThat(view.tenant()).isEqualTo("acme");
        assertThat(view.maxSubsystems()).isEqualTo(3);
        assertThat(view.usedSubsystems()).isZero();
        assertThat(view.subsystems()).isEmpty();
        assertThat(view.version()).isZero();
        assertThat(view.updatedAt()).isEqualTo(t0);
    }

    @Test
    void claimedSlotsCountAsUsedUntilReleased() {
        deliver(new NodeRegistered("sn-2", "acme", 3), 0, t0);
        deliver(new SubsystemSlotClaimed("sn-2", "nqn.a"), 1, t0.plusSeconds(1));
        deliver(new SubsystemSlotClaimed("sn-2", "nqn.b"), 2, t0.plusSeconds(2));
        deliver(new SubsystemSlotClaimed("sn-2", "nqn.c"), 3, t0.plusSeconds(3));
        deliver(new SubsystemSlotReleased("sn-2", "nqn.b"), 4, t0.plusSeconds(4));

        NodeView view = views.find("sn-2").orElseThrow();
        assertThat(view.usedSubsystems()).isEqualTo(2);
        assertThat(view.subsystems()).containsExactly("nqn.a", "nqn.c");
        assertThat(view.version()).isEqualTo(4);
        assertThat(view.updatedAt()).isEqualTo(t0.plusSeconds(4));
    }

    @Test
    void anEventDeliveredTwiceIsAppliedOnce() {
        SubsystemSlotClaimed claim = new SubsystemSlotClaimed("sn-3", "nqn.a");
        deliver(new NodeRegistered("sn-3", "acme", 3), 0, t0);
        deliver(claim, 1, t0.plusSeconds(1));

        // redelivery, e.g. after a processor restart before its token was stored: applied again,
        // the claim would count the slot twice
        deliver(claim, 1, t0.plusSeconds(1));

        NodeView view = views.find("sn-3").orElseThrow();
        assertThat(view.usedSubsystems()).isEqualTo(1);
        assertThat(view.subsystems()).containsExactly("nqn.a");
        assertThat(view.version()).isEqualTo(1);
    }

    @Test
    void aResetEmptiesTheReadModel() {
        deliver(new NodeRegistered("sn-4", "acme", 3), 0, t0);

        projection.reset();

        assertThat(views.find("sn-4")).isEmpty();
    }

    @Test
    void listsFilterFullNodesAndCountThemForStats() {
        deliver(new NodeRegistered("sn-5", "acme", 1), 0, t0);
        deliver(new SubsystemSlotClaimed("sn-5", "nqn.a"), 1, t0);
        deliver(new NodeRegistered("sn-6", "acme", 2), 0, t0);
        deliver(new NodeRegistered("sn-7", "globex", 2), 0, t0);

        assertThat(views.list(new NodeViews.Filter(null, true), 0, 10, new Queries.Sort("node_id", false)).items())
                .extracting(NodeView::nodeId).containsExactly("sn-5");
        assertThat(views.list(new NodeViews.Filter("acme", false), 0, 10, new Queries.Sort("node_id", false)).items())
                .extracting(NodeView::nodeId).containsExactly("sn-6");
        assertThat(views.counts(null).get("full")).containsEntry("true", 1L).containsEntry("false", 2L);
        assertThat(views.counts("globex").get("full")).containsOnlyKeys("false");
    }

    @Test
    void aCommittedChangeIsPublishedOnlyOutsideAReplay() {
        ChangeFeed feed = new ChangeFeed();
        List<ChangeFeed.Change> seen = new ArrayList<>();
        feed.subscribe(seen::add);
        NodeProjection publishing = new NodeProjection(views, feed);
        DefaultUnitOfWork<?> unit = DefaultUnitOfWork.startAndGet(null);
        publishing.on(new NodeRegistered("sn-8", "acme", 2), 0, t0, ReplayStatus.REGULAR);
        assertThat(seen).isEmpty(); // not before the commit
        unit.commit();

        assertThat(seen).singleElement().satisfies(change -> {
            assertThat(change.type()).isEqualTo("nodes");
            assertThat(change.id()).isEqualTo("sn-8");
            assertThat(change.state()).containsEntry("usedSubsystems", 0).containsEntry("maxSubsystems", 2);
        });

        DefaultUnitOfWork<?> replayUnit = DefaultUnitOfWork.startAndGet(null);
        publishing.on(new SubsystemSlotClaimed("sn-8", "nqn.a"), 1, t0, ReplayStatus.REPLAY);
        replayUnit.commit();
        assertThat(seen).hasSize(1);
    }
}
