package io.interlock.command.store;

import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.eventsourcing.AggregateDeletedException;
import org.axonframework.eventsourcing.EventSourcedAggregate;
import org.axonframework.eventsourcing.EventSourcingRepository;
import org.axonframework.eventsourcing.eventstore.DomainEventStream;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.modelling.command.ConcurrencyException;
import org.axonframework.modelling.command.LockAwareAggregate;

import java.util.Objects;

/**
 * An event-sourcing repository that keeps loaded aggregates in memory and, instead of trusting
 * them, makes sure every decision taken on one was right for the event store.
 * <p>
 * Axon's own caching repository assumes every command for an aggregate reaches the same process.
 * Interlock runs several replicas on one database with no routing, so another replica may have
 * appended since this one cached an aggregate. What that means depends on the decision:
 * <ul>
 * <li>A command that <em>applies</em> events on a stale aggregate appends at a sequence number
 * another replica already used, the event store's unique key refuses it, and the dispatcher sends
 * it again on the aggregate caught up. So an accept needs no read: it is checked by the append.</li>
 * <li>A command that is refused, or answered without an event (a repeat), is checked before its
 * answer leaves: the events appended since the cached version are read (one indexed query,
 * usually empty). If there were any, the aggregate is caught up and the command decided again
 * ({@link StaleDecision}, or {@link #refusedOnStaleState()} for a refusal).</li>
 * </ul>
 * A deadline (a task's timeout) has no dispatcher to send it again, and under load most find
 * their task long over: it is decided on the aggregate caught up first, as every use was before.
 * The check is skipped when the cache was already known to match the store after the command
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
    private static final ThreadLocal<Boolean> REFUSED_ON_STALE_STATE = new ThreadLocal<>();

    /**
     * A command that applied nothing was decided on a cached aggregate that another replica had
     * moved past; the aggregate is caught up now, and the command must be decided again.
     */
    public static class StaleDecision extends ConcurrencyException {
        StaleDecision(String aggregateIdentifier) {
            super("Aggregate " + aggregateIdentifier + " had changed on another replica since it was cached");
        }
    }

    /**
     * Whether the last command this thread sent was refused on a cached aggregate that another
     * replica had moved past (it is caught up now, so sending the command again decides it right).
     * Reading clears it.
     */
    public static boolean refusedOnStaleState() {
        boolean stale = REFUSED_ON_STALE_STATE.get() != null;
        REFUSED_ON_STALE_STATE.remove();
        return stale;
    }

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
                if (CurrentUnitOfWork.get().getMessage() instanceof CommandMessage<?>) {
                    CurrentUnitOfWork.get().resources().put(unverifiedKey(aggregateIdentifier), Boolean.TRUE);
                } else {
                    // a deadline has no dispatcher to decide it again: it is decided on the store's state
                    caughtUp(aggregate);
                }
            }
            if (aggregate.isDeleted()) {
                throw new AggregateDeletedException(aggregateIdentifier);
            }
        }
        evictIfChangedAndRolledBack(aggregate);
        return aggregate;
    }

    /** Applies what was appended since the cached version, and answers whether there was any. */
    private boolean caughtUp(EventSourcedAggregate<T> aggregate) {
        long readAt = System.nanoTime();
        String id = aggregate.identifierAsString();
        DomainEventStream appendedElsewhere = eventStore.readEvents(id, aggregate.version() + 1);
        boolean behind = appendedElsewhere.hasNext();
        if (behind) {
            aggregate.initializeState(appendedElsewhere);
        }
        cache.put(id, aggregate, readAt);
        return behind;
    }

    private boolean unverified(String id) {
        return CurrentUnitOfWork.get().getResource(unverifiedKey(id)) != null;
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
            // answered without an event: only right if the store had nothing newer
            if (unverified(id) && caughtUp(aggregate)) {
                throw new StaleDecision(id);
            }
            return;
        }
        long beforeCommit = System.nanoTime();
        CurrentUnitOfWork.get().afterCommit(u -> cache.put(id, aggregate, beforeCommit));
    }

    @Override
    protected void doDeleteWithLock(EventSourcedAggregate<T> aggregate) {
        doSaveWithLock(aggregate);
    }

    private void evictIfChangedAndRolledBack(EventSourcedAggregate<T> aggregate) {
        Long versionAtLoad = aggregate.version();
        String id = aggregate.identifierAsString();
        CurrentUnitOfWork.get().resources().put(versionAtLoadKey(id), versionAtLoad);
        CurrentUnitOfWork.get().onRollback(u -> {
            if (!Objects.equals(versionAtLoad, aggregate.version())) {
                cache.remove(id);
            } else if (!(u.getExecutionResult().getExceptionResult() instanceof ConcurrencyException)
                    && unverified(id) && caughtUp(aggregate)) {
                REFUSED_ON_STALE_STATE.set(Boolean.TRUE);
            }
        });
    }

    private String unverifiedKey(String id) {
        return CatchUpCachingRepository.class.getName() + "/unverified/" + getAggregateType().getName() + "/" + id;
    }

    private String versionAtLoadKey(String id) {
        return CatchUpCachingRepository.class.getName() + "/" + getAggregateType().getName() + "/" + id;
    }
}
