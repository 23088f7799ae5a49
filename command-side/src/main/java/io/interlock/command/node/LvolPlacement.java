package io.interlock.command.node;

import io.interlock.command.node.LvolPlacementCommands.AbandonLvolPlacement;
import io.interlock.command.node.LvolPlacementCommands.ClaimLvolPlacement;
import io.interlock.command.node.LvolPlacementCommands.RecordLvolPlaced;
import io.interlock.command.store.SnapshottedByFields;
import io.interlock.lifecycle.Rejection;
import io.interlock.node.LvolPlacementEvents.LvolPlacementAbandoned;
import io.interlock.node.LvolPlacementEvents.LvolPlacementClaimed;
import io.interlock.node.LvolPlacementEvents.LvolPlacementEvent;
import io.interlock.node.LvolPlacementEvents.LvolPlaced;
import io.interlock.node.LvolPlacementState;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateCreationPolicy;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.CreationPolicy;
import org.axonframework.spring.stereotype.Aggregate;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

/**
 * The placement of one lvol on one node: the arbiter that keeps an lvol to one namespace per
 * node. Only the placement holding the claim makes a namespace; racing placements on any replica
 * are settled by this stream's unique key, and get the claim's result or a retryable refusal.
 * Each lvol has a stream of its own, so placements of different lvols never wait for each other.
 *
 * <p>A claim is a lease: a placement that stopped half-way (its replica died) holds the lvol
 * only until the lease runs out, and the next placement takes it over.
 */
@Aggregate(repository = "lvolPlacementRepository")
@SnapshottedByFields
public class LvolPlacement {

    @AggregateIdentifier
    private String key;
    private LvolPlacementState state;
    private long version;

    protected LvolPlacement() {
        // for Axon: rebuilt from events, or new for a first claim
    }

    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    public LvolPlacementAnswer handle(ClaimLvolPlacement command) {
        Instant now = GenericEventMessage.clock.instant();
        if (state == null || state.free()) {
            claim(command, null, now);
        } else if (state.placed()) {
            if (state.placementId().equals(command.gonePlacementId())) {
                claim(command, state.placementId(), now);
            }
        } else if (!state.claimedBy(command.placementId())) {
            if (now.isBefore(state.leaseUntil())) {
                throw new Rejection(Rejection.Reason.LOCK_HELD, Node.RESOURCE, state.nodeId(), "place", stateFields(),
                        null, true, "Lvol " + state.lvolId() + " is being placed on node " + state.nodeId()
                        + " by another request");
            }
            claim(command, state.placementId(), now);
        }
        return answer();
    }

    @CommandHandler
    public LvolPlacementAnswer handle(RecordLvolPlaced command) {
        if (state.placed() && state.placementId().equals(command.placementId())
                && state.nqn().equals(command.nqn())) {
            return answer();
        }
        if (!state.claimedBy(command.placementId())) {
            // Only when this placement outlived its lease: the one that took over decides.
            throw new Rejection(Rejection.Reason.LOCK_HELD, Node.RESOURCE, state.nodeId(), "place", stateFields(),
                    null, true, "The claim of this placement of lvol " + state.lvolId() + " ran out and was taken over");
        }
        apply(new LvolPlaced(state.nodeId(), state.lvolId(), command.placementId(), command.nqn(), command.nsid()));
        return answer();
    }

    @CommandHandler
    public LvolPlacementAnswer handle(AbandonLvolPlacement command) {
        if (state.claimedBy(command.placementId())) {
            apply(new LvolPlacementAbandoned(state.nodeId(), state.lvolId(), command.placementId()));
        }
        return answer();
    }

    @EventSourcingHandler
    void on(LvolPlacementEvent event, @SequenceNumber long sequence) {
        key = LvolPlacementState.key(event.nodeId(), event.lvolId());
        state = LvolPlacementState.evolve(state, event);
        version = sequence;
    }

    private void claim(ClaimLvolPlacement command, String replaces, Instant now) {
        apply(new LvolPlacementClaimed(command.nodeId(), command.lvolId(), command.placementId(),
                now.plus(command.lease()), replaces));
    }

    private Map<String, Object> stateFields() {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("lvolId", state.lvolId());
        fields.put("placing", !state.free() && !state.placed());
        return fields;
    }

    private LvolPlacementAnswer answer() {
        return LvolPlacementAnswer.of(state, version);
    }
}
