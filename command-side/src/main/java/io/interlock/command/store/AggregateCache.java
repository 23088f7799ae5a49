package io.interlock.command.store;

import org.axonframework.eventsourcing.EventSourcedAggregate;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The most recently used aggregates of one type, each with the moment it was last known to match
 * the event store. Bounded, because a replica may touch every resource over its life; an evicted
 * aggregate is simply loaded again from its snapshot.
 */
public final class AggregateCache<T> {

    record Entry<T>(EventSourcedAggregate<T> aggregate, long matchedStoreAt) {
    }

    private final Map<String, Entry<T>> entries;

    public AggregateCache(int capacity) {
        this.entries = new LinkedHashMap<>(Math.min(capacity, 1024), 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Entry<T>> eldest) {
                return size() > capacity;
            }
        };
    }

    synchronized Entry<T> get(String id) {
        return entries.get(id);
    }

    synchronized void put(String id, EventSourcedAggregate<T> aggregate, long matchedStoreAt) {
        entries.put(id, new Entry<>(aggregate, matchedStoreAt));
    }

    synchronized void remove(String id) {
        entries.remove(id);
    }

    /** Forgets everything, so the next load of each aggregate comes from its snapshot and events. */
    public synchronized void clear() {
        entries.clear();
    }

    public synchronized int size() {
        return entries.size();
    }
}
