package io.interlock.subsystem;

import io.interlock.subsystem.SubsystemEvents.NamespaceAllocated;
import io.interlock.subsystem.SubsystemEvents.NamespaceOnline;
import io.interlock.subsystem.SubsystemEvents.NamespaceReleased;
import io.interlock.subsystem.SubsystemEvents.NamespaceRemoved;
import io.interlock.subsystem.SubsystemEvents.SubsystemCreated;
import io.interlock.subsystem.SubsystemEvents.SubsystemDeleted;
import io.interlock.subsystem.SubsystemEvents.SubsystemEvent;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The subsystem fold: what the aggregate, a projection and the audit view all compute. */
class SubsystemStateTest {

    private static final String NQN = "nqn.2026-01.io.interlock:n:1";

    private static SubsystemState fold(SubsystemEvent... events) {
        SubsystemState state = null;
        for (SubsystemEvent event : events) {
            state = SubsystemState.evolve(state, event);
        }
        return state;
    }

    @Test
    void aNewSubsystemIsEmptyAndHandsOutNsidOne() {
        SubsystemState state = fold(new SubsystemCreated(NQN, "n", "acme", 4, false));
        assertThat(state.namespaces()).isEmpty();
        assertThat(state.lowestFreeNsid()).isEqualTo(1);
        assertThat(state.full()).isFalse();
        assertThat(state.deleted()).isFalse();
    }

    @Test
    void theLowestFreeNsidFillsTheFirstGap() {
        SubsystemState state = fold(new SubsystemCreated(NQN, "n", "acme", 8, false),
                new NamespaceAllocated(NQN, "a", 1), new NamespaceAllocated(NQN, "b", 2),
                new NamespaceAllocated(NQN, "c", 3), new NamespaceAllocated(NQN, "d", 4),
                new NamespaceReleased(NQN, "b", 2), new NamespaceRemoved(NQN, "b", 2),
                new NamespaceReleased(NQN, "d", 4), new NamespaceRemoved(NQN, "d", 4));
        assertThat(state.lowestFreeNsid()).isEqualTo(2);
        assertThat(state.liveNamespaces()).isEqualTo(2);
    }

    @Test
    void inDeletionStopsCountingButKeepsTheNsid() {
        SubsystemState state = fold(new SubsystemCreated(NQN, "n", "acme", 2, false),
                new NamespaceAllocated(NQN, "a", 1), new NamespaceOnline(NQN, "a", 1),
                new NamespaceAllocated(NQN, "b", 2), new NamespaceReleased(NQN, "a", 1));
        assertThat(state.liveNamespaces()).isEqualTo(1);
        assertThat(state.full()).isFalse();
        assertThat(state.lowestFreeNsid()).isEqualTo(3);
        assertThat(state.namespace("a").status()).isEqualTo(NamespaceStatus.IN_DELETION);
    }

    @Test
    void aFullSubsystemCountsOnlyLiveNamespaces() {
        SubsystemState state = fold(new SubsystemCreated(NQN, "n", "acme", 2, false),
                new NamespaceAllocated(NQN, "a", 1), new NamespaceAllocated(NQN, "b", 2));
        assertThat(state.full()).isTrue();
        assertThat(SubsystemState.evolve(state, new NamespaceReleased(NQN, "b", 2)).full()).isFalse();
    }

    @Test
    void deletionKeepsTheRestOfTheState() {
        SubsystemState state = fold(new SubsystemCreated(NQN, "n", "acme", 2, true), new SubsystemDeleted(NQN, "n"));
        assertThat(state.deleted()).isTrue();
        assertThat(state.dedicated()).isTrue();
        assertThat(state.nodeId()).isEqualTo("n");
    }

    @Test
    void everyTableRowLeadsFromItsStatesToItsTarget() {
        assertThat(NamespaceTransitions.rows()).hasSize(NamespaceAction.values().length);
        for (NamespaceTransitions.Row row : NamespaceTransitions.rows()) {
            for (NamespaceStatus status : NamespaceStatus.values()) {
                NamespaceTransitions.Verdict verdict = NamespaceTransitions.check(status, row.action());
                if (row.from().contains(status)) {
                    assertThat(verdict).as(row.action() + " from " + status).isEqualTo(NamespaceTransitions.Verdict.ALLOWED);
                } else if (status == row.repeatIn()) {
                    assertThat(verdict).as(row.action() + " from " + status).isEqualTo(NamespaceTransitions.Verdict.REPEAT);
                } else {
                    assertThat(verdict).as(row.action() + " from " + status).isEqualTo(NamespaceTransitions.Verdict.REFUSED);
                }
            }
        }
    }
}
