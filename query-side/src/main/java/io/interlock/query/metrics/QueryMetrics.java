package io.interlock.query.metrics;

import io.interlock.query.overview.ReadModel;
import io.interlock.query.replay.Projections;
import io.interlock.query.store.ProjectionProcessor;
import io.interlock.query.stream.ChangeFeed;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.eventhandling.pooled.PooledStreamingEventProcessor;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.messaging.Message;
import org.axonframework.monitoring.MessageMonitor;
import org.axonframework.monitoring.NoOpMessageMonitorCallback;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;

/**
 * The query side's own figures for {@code /actuator/prometheus} (README "Metrics"); Spring Boot
 * adds the HTTP server's, the connection pool's and the JVM's, and {@code Projections} the
 * {@code interlock.projection.failed} gauge. What a projection's status says (lag, replay
 * progress) is read once per scrape, not once per gauge.
 */
@Configuration
public class QueryMetrics {

    /** One status read serves every gauge of a scrape. */
    static final long STATUS_TTL_NANOS = 1_000_000_000L;

    @Bean
    ProjectionGauges projectionGauges(MeterRegistry registry, Projections projections, List<ReadModel> models) {
        ProjectionGauges gauges = new ProjectionGauges(projections);
        // names only: the event store may not exist yet when the query side starts before the command side
        for (ReadModel model : models) {
            String name = model.processingGroup();
            gauge(registry, gauges, name, "interlock.projection.lag.events",
                    "Events in the store this projection has not applied yet", Projections.Status::lagEvents);
            gauge(registry, gauges, name, "interlock.projection.lag.seconds",
                    "Age of the oldest event this projection has not applied yet (0 when caught up)",
                    Projections.Status::lagSeconds);
            gauge(registry, gauges, name, "interlock.projection.position",
                    "The last position in the event store this projection has applied", Projections.Status::position);
            gauge(registry, gauges, name, "interlock.projection.replay.progress",
                    "Percent of the store this projection has read (100 when caught up); watch it during a replay",
                    Projections.Status::progressPercent);
            gauge(registry, gauges, name, "interlock.projection.rebuilding",
                    "1 while this projection's read model is being rebuilt (its endpoints answer 503)",
                    s -> s.rebuilding() ? 1 : 0);
        }
        return gauges;
    }

    private static void gauge(MeterRegistry registry, ProjectionGauges gauges, String projection, String name,
                              String description, ToDoubleFunction<Projections.Status> value) {
        Gauge.builder(name, gauges, g -> g.read(projection, value))
                .tag("projection", projection).description(description).register(registry);
    }

    @Bean
    Gauge streamSubscribers(MeterRegistry registry, ChangeFeed feed) {
        return Gauge.builder("interlock.stream.subscribers", feed, ChangeFeed::subscribers)
                .description("Open /v1/stream connections").register(registry);
    }

    /**
     * How old each event was when the projections processor handled it: near zero when it keeps
     * up, the age of the history during a replay. Written per event as one store to a number.
     * (axon-micrometer's EventProcessorLatencyMonitor does the same, but registers its gauge
     * again for every event, which costs each event a registry lookup and logs a warning.)
     */
    @Bean
    ConfigurerModule processorLatency(MeterRegistry registry) {
        AtomicLong latencyMillis = new AtomicLong();
        Gauge.builder("interlock.processor.latency", latencyMillis, l -> l.get() / 1000.0)
                .baseUnit("seconds").tag("processor", ProjectionProcessor.NAME)
                .description("Age of the last event the projections processor handled, when it handled it")
                .register(registry);
        MessageMonitor<Message<?>> latency = message -> {
            if (message instanceof EventMessage<?> event) {
                latencyMillis.set(Math.max(0, System.currentTimeMillis() - event.getTimestamp().toEpochMilli()));
            }
            return NoOpMessageMonitorCallback.INSTANCE;
        };
        return configurer -> configurer.configureMessageMonitor(PooledStreamingEventProcessor.class,
                ProjectionProcessor.NAME, (config, type, name) -> latency);
    }

    /** Every projection's status, read at most once a second. */
    static final class ProjectionGauges {
        private final Projections projections;
        private volatile Map<String, Projections.Status> last = Map.of();
        private volatile long readAt;

        ProjectionGauges(Projections projections) {
            this.projections = projections;
        }

        double read(String projection, ToDoubleFunction<Projections.Status> value) {
            long now = System.nanoTime();
            if (last.isEmpty() || now - readAt > STATUS_TTL_NANOS) {
                try {
                    last = projections.all().stream()
                            .collect(Collectors.toMap(Projections.Status::name, s -> s));
                    readAt = now;
                } catch (RuntimeException unavailable) {
                    return Double.NaN; // a scrape during an outage says "unknown", not zero
                }
            }
            Projections.Status status = last.get(projection);
            return status == null ? Double.NaN : value.applyAsDouble(status);
        }
    }
}
