package io.interlock.command.store;

import org.axonframework.config.Configuration;
import org.axonframework.eventhandling.EventBusSpanFactory;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Axon's embedded event store, except that the sagas' tracking processors are woken at most once
 * per {@code interlock.sagas.wake-up-interval} (default 10 ms) after commits, not after every one.
 * Axon's store wakes its reader after each commit, which then queries the event table for what
 * was appended: with hundreds of commits a second, that was a query (and the processors' work)
 * for every group of commands, most of it for events no saga handles. A saga now sees an event at
 * most that much later; what it does with it is unchanged, and the reader still polls on its own
 * every second.
 */
public class BatchedWakeUps extends EmbeddedEventStore {

    private final long intervalNanos;
    private final AtomicBoolean wakeUpPending = new AtomicBoolean();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "event-store-wake-up");
        thread.setDaemon(true);
        return thread;
    });

    private BatchedWakeUps(Builder builder, Duration interval) {
        super(builder);
        this.intervalNanos = interval.toNanos();
    }

    @Override
    protected void afterCommit(List<? extends EventMessage<?>> events) {
        if (intervalNanos <= 0) {
            super.afterCommit(events);
        } else if (wakeUpPending.compareAndSet(false, true)) {
            timer.schedule(() -> {
                wakeUpPending.set(false);
                super.afterCommit(events);
            }, intervalNanos, TimeUnit.NANOSECONDS);
        }
    }

    @Override
    public void shutDown() {
        timer.shutdownNow();
        super.shutDown();
    }

    @org.springframework.context.annotation.Configuration
    static class Wiring {

        /** As Axon's auto-configuration builds its event store, which this one replaces. */
        @Qualifier("eventStore")
        @Bean(name = "eventBus")
        EmbeddedEventStore eventStore(EventStorageEngine storageEngine, Configuration configuration,
                                      @Value("${interlock.sagas.wake-up-interval:PT0.01S}") Duration interval) {
            Builder builder = EmbeddedEventStore.builder()
                    .storageEngine(storageEngine)
                    .messageMonitor(configuration.messageMonitor(EventStore.class, "eventStore"))
                    .spanFactory(configuration.getComponent(EventBusSpanFactory.class));
            return new BatchedWakeUps(builder, interval);
        }
    }
}
