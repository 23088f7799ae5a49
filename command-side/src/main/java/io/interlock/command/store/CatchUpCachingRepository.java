package io.interlock.command.store;

import org.axonframework.eventsourcing.AggregateDeletedException;
import org.axonframework.eventsourcing.EventSourcedAggregate;
import org.axonframework.eventsourcing.EventSourcingRepository;
import org.axonframework.eventsourcing.eventstore.DomainEventStream;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.modelling.command.Aggregate;
import org.axonframework.modelling.command.LockAwareAggregate;

import java.util.Objects;

/**
 * An event-sourcing repository that keeps loaded aggregates in memory and, instead of trusting
 * them, brings them up to date from the event store before every use.
 * <p>
 * Axon's own caching repository assumes every command for an aggregate reaches the same process.
 * Interlock runs several replicas on one database with no routing, so another replica may have
 * appended since this one cached an aggregate. A stale aggregate that accepts a command is caught
 * by the event store's unique key, but one that <em>rejects</em> a command would do so wrongly
 * and silently. So a cached aggregate is only used after reading the events appended since its
 * version (one indexed query that is usually empty), which is still far cheaper than a snapshot
 * plus the events after it.
 * <p>
 * The query is skipped when the cache was already known to match the store after the command
 * arrived: commands queued behind one aggregate's lock were all in flight when the one before
 * them read or committed, so deciding them against that state is a decision at an instant inside
 * each request's lifetime. That is what keeps a burst of conflicting commands cheap to reject.
 * <p>
 * Relies on aggregates changing their fields only in event-sourcing handlers: a unit of work that
 * rolls back after applying nothing leaves the cached aggregate as it was, and one that applied
 * something evicts it.
 */
public class CatchUpCachingRepository<T> extends EventSourcingRepository<T> {

    private static final ThreadLocal<Long> LOCK_REQUESTED_AT = new ThreadLocal<>();

    private final EventStore eventStore;
    private final AggregateCache<T> cache;

    public CatchUpCachingRepository(Builder<T> builder, EventStore eventStore, AggregateCache<T> cache) {
        super(builder.eventStore(eventStore));
        this.eventStore = eventStore;
        this.cache = cache;
    }

    /** Drops every cached aggregate, so each is next loaded from its snapshot and later events. */
    public void forgetCached() {
        cache.clear();
    }

    @Override
    protected LockAwareAggregate<T, EventSourcedAggregate<T>> doLoad(String aggregateIdentifier, Long expectedVersion) {
        // taken before waiting for the lock, so it is no later than the moment the command arrived here
        LOCK_REQUESTED_AT.set(System.nanoTime());
        try {
            return super.doLoad(aggregateIdentifier, expectedVersion);
        } finally {
            LOCK_REQUESTED_AT.remove();
        }
    }

    @Override
    protected EventSourcedAggregate<T> doLoadWithLock(String aggregateIdentifier, Long expectedVersion) {
        Long arrived = LOCK_REQUESTED_AT.get();
        AggregateCache.Entry<T> cached = cache.get(aggregateIdentifier);
        EventSourcedAggregate<T> aggregate;
        if (cached == null) {
            long readAt = System.nanoTime();
            aggregate = super.doLoadWithLock(aggregateIdentifier, expectedVersion);
            cache.put(aggregateIdentifier, aggregate, readAt);
        } else {
            aggregate = cached.aggregate();
            if (arrived == null || arrived - cached.matchedStoreAt() > 0) {
                catchUp(aggregate, System.nanoTime());
            }
            if (aggregate.isDeleted()) {
                throw new AggregateDeletedException(aggregateIdentifier);
            }
        }
        evictIfChangedAndRolledBack(aggregate);
        return aggregate;
    }

    private void catchUp(EventSourcedAggregate<T> aggregate, long readAt) {
        String id = aggregate.identifierAsString();
        DomainEventStream appendedElsewhere = eventStore.readEvents(id, aggregate.version() + 1);
        if (appendedElsewhere.hasNext()) {
            aggregate.initializeState(appendedElsewhere);
        }
        cache.put(id, aggregate, readAt);
    }

    /**
     * The commit of our own events is the other moment the cache is known to match the store: had
     * another replica appended first, the commit would have failed on the unique key. The time is
     * taken before committing, while the aggregate lock is still held. A unit of work that appended
     * nothing proves nothing about the store, so it leaves the time of the last read as it was.
     */
    @Override
    protected void doSaveWithLock(EventSourcedAggregate<T> aggregate) {
        super.doSaveWithLock(aggregate);
        String id = aggregate.identifierAsString();
        Long versionAtLoad = CurrentUnitOfWork.get().getResource(versionAtLoadKey(id));
        if (versionAtLoad != null && versionAtLoad.equals(aggregate.version())) {
            return;
        }
        long beforeCommit = System.nanoTime();
        CurrentUnitOfWork.get().afterCommit(u -> cache.put(id, aggregate, beforeCommit));
    }

    @Override
    protected void doDeleteWithLock(EventSourcedAggregate<T> aggregate) {
        doSaveWithLock(aggregate);
    }

    private void evictIfChangedAndRolledBack(Aggregate<T> aggregate) {
        Long versionAtLoad = aggregate.version();
        String id = aggregate.identifierAsString();
        CurrentUnitOfWork.get().resources().put(versionAtLoadKey(id), versionAtLoad);
        CurrentUnitOfWork.get().onRollback(u -> {
            if (!Objects.equals(versionAtLoad, aggregate.version())) {
                cache.remove(id);
            }
        });
    }

    private String versionAtLoadKey(String id) {
        return CatchUpCachingRepository.class.getName() + "/" + getAggregateType().getName() + "/" + id;
    }
}
