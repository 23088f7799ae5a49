package io.interlock.query.stream;

import org.springframework.stereotype.Component;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Changes to read models, as they are committed, for live dashboards. Projections publish after
 * their transaction commits, so a listener never sees a change that was rolled back.
 */
@Component
public class ChangeFeed {

    /** One committed change: which resource, whose, its new version and state fields. */
    public record Change(String type, String id, String tenant, long version, Map<String, Object> state) {
    }

    private final List<Consumer<Change>> listeners = new CopyOnWriteArrayList<>();

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
