package io.interlock.command.metrics;

import io.interlock.instance.InstanceEvents.InstanceTaskTimedOut;
import io.interlock.share.ShareEvents.AccessRulesSyncTimedOut;
import io.interlock.share.ShareEvents.ShareTaskTimedOut;
import io.interlock.share.ShareEvents.SnapshotLeaseExpired;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.axonframework.messaging.Message;
import org.axonframework.monitoring.MessageMonitor;
import org.axonframework.monitoring.NoOpMessageMonitorCallback;

import java.util.Map;

/**
 * Counts the durable timeouts that fired and took effect: each leaves one event, and the event
 * store reports it here once its transaction committed (a timeout that found its task already
 * over writes nothing, and is not counted). Every other event costs one map lookup.
 */
final class TimeoutMetrics implements MessageMonitor<Message<?>> {

    static final String FIRED = "interlock.timeouts.fired";

    private final Map<Class<?>, Counter> counters;

    TimeoutMetrics(MeterRegistry registry) {
        counters = Map.of(
                InstanceTaskTimedOut.class, counter(registry, "instance-task"),
                ShareTaskTimedOut.class, counter(registry, "share-task"),
                AccessRulesSyncTimedOut.class, counter(registry, "access-rules-sync"),
                SnapshotLeaseExpired.class, counter(registry, "snapshot-lease"));
    }

    private static Counter counter(MeterRegistry registry, String timeout) {
        return Counter.builder(FIRED)
                .description("Durable timeouts that fired on a task, sync or lease still current, and ended it")
                .tag("timeout", timeout).register(registry);
    }

    @Override
    public MonitorCallback onMessageIngested(Message<?> message) {
        Counter counter = counters.get(message.getPayloadType());
        if (counter == null) {
            return NoOpMessageMonitorCallback.INSTANCE;
        }
        return new MonitorCallback() {
            @Override
            public void reportSuccess() {
                counter.increment();
            }

            @Override
            public void reportFailure(Throwable cause) {
            }

            @Override
            public void reportIgnored() {
            }
        };
    }
}
