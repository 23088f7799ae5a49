package io.interlock.query.stream;

import io.interlock.query.access.BareId;
import org.axonframework.eventhandling.ReplayStatus;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.springframework.stereotype.Component;
import tools.jackson.databind.annotation.JsonSerialize;

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
    public record Change(String type, @JsonSerialize(using = BareId.class) String id, String tenant, long version, Map<String, Object> state) {
    }

    private final List<Consumer<Change>> listeners = new CopyOnWriteArrayList<>();

    /**
     * Publishes a projection's change once its transaction has committed, so nobody hears of a
     * change that was rolled back; a replay rebuilds rows nobody needs to be told about again.
     */
    public void publishAfterCommit(ReplayStatus replay, Supplier<Change> change) {
        if (!replay.isReplay()) {
            CurrentUnitOfWork.ifStarted(unit -> unit.afterCommit(u -> publish(change.get())));
        }
    }

    public void publish(Change change) {
        for (Consumer<Change> listener : listeners) {
            listener.accept(change);
        }
    }

    public Runnable subscribe(Consumer<Change> listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }
}
