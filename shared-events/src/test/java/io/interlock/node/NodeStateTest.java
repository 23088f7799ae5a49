package io.interlock.node;

import io.interlock.node.NodeEvents.NodeRegistered;
import io.interlock.node.NodeEvents.SubsystemSlotClaimed;
import io.interlock.node.NodeEvents.SubsystemSlotReleased;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The node fold: slots held, in claim order, and when the node is full. */
class NodeStateTest {

    @Test
    void slotsAreHeldInClaimOrderAndReleasedByNqn() {
        NodeState state = NodeState.evolve(null, new NodeRegistered("n", "acme", 2));
        state = NodeState.evolve(state, new SubsystemSlotClaimed("n", "s1"));
        state = NodeState.evolve(state, new SubsystemSlotClaimed("n", "s2"));
        assertThat(state.subsystems()).containsExactly("s1", "s2");
        assertThat(state.full()).isTrue();

        state = NodeState.evolve(state, new SubsystemSlotReleased("n", "s1"));
        assertThat(state.subsystems()).containsExactly("s2");
        assertThat(state.full()).isFalse();
        assertThat(state.holds("s1")).isFalse();
        assertThat(state.usedSubsystems()).isEqualTo(1);
    }
}
