package io.interlock.query.stream;

import io.interlock.query.access.BareId;
import io.interlock.query.store.ProjectionBatch;
import org.axonframework.eventhandling.ReplayStatus;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.springframework.stereotype.Component;
import tools.jackson.databind.annotation.JsonSerialize;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Changes to read models, as they are committed, for live dashboards. Projections publish after
 * their transaction commits, so a listener never sees a change that was rolled back.
 */
@Component
public class ChangeFeed {

    /** One committed change: which resource, whose, its new version and state fields. */
    public record Change(String type, @JsonSerialize(using = BareId.class) String id, String tenant, long version,
                         Map<String, Object> state) {
    }

    private static final String PENDING = ChangeFeed.class.getName() + "/pending";

    private final List<Consumer<Change>> listeners = new CopyOnWriteArrayList<>();

    /**
     * Publishes a projection's change once its transaction has committed, so nobody hears of a
     * change that was rolled back; a replay rebuilds rows nobody needs to be told about again.
     * A batch's changes are published together, in the order they were made: Axon runs a unit of
     * work's after-commit callbacks last first, so one callback per change sent a resource's
     * versions backwards. A change whose row its stopped projection did not write is not announced.
     */
    public void publishAfterCommit(ReplayStatus replay, Supplier<Change> change) {
        if (replay.isReplay() || !CurrentUnitOfWork.isStarted()) {
            return;
        }
        UnitOfWork<?> unit = CurrentUnitOfWork.get().root();
        List<Supplier<Change>> pending = unit.getOrComputeResource(PENDING, key -> {
            List<Supplier<Change>> changes = new ArrayList<>();
            unit.afterCommit(u -> {
                ProjectionBatch batch = ProjectionBatch.of(u).orElse(null);
                for (Supplier<Change> each : changes) {
                    Change made = each.get();
                    if (batch == null || batch.written(made.type(), made.id())) {
                        publish(made);
                    }
                }
            });
            return changes;
        });
        pending.add(change);
    }

    public void publish(Change change) {
        for (Consumer<Change> listener : listeners) {
            listener.accept(change);
        }
    }

    /** How many listen now: each open stream is one. */
    public int subscribers() {
        return listeners.size();
    }

    public Runnable subscribe(Consumer<Change> listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }
}
