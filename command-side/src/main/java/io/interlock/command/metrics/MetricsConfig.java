package io.interlock.command.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.axonframework.commandhandling.CommandBus;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.jdbc.core.JdbcTemplate;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;

/**
 * The command side's own figures for {@code /actuator/prometheus} (README "Metrics"); Spring Boot
 * adds the HTTP server's, the connection pool's and the JVM's. Commands are watched on the command
 * bus and timeouts on the event store, through Axon's monitor hooks, so the command path itself
 * carries no metrics code.
 */
@Configuration
public class MetricsConfig {

    @Bean
    ConfigurerModule commandAndTimeoutMonitors(MeterRegistry registry) {
        CommandMetrics commands = new CommandMetrics(registry);
        TimeoutMetrics timeouts = new TimeoutMetrics(registry);
        return configurer -> configurer
                .configureMessageMonitor(CommandBus.class, config -> commands)
                .configureMessageMonitor(EventStore.class, config -> timeouts);
    }

    @Bean
    FilterRegistrationBean<IdempotentReplays> idempotentReplays(MeterRegistry registry) {
        Counter replays = Counter.builder(IdempotentReplays.REPLAYS)
                .description("Answers replayed for a repeated Idempotency-Key, instead of running the request again")
                .register(registry);
        FilterRegistrationBean<IdempotentReplays> filter = new FilterRegistrationBean<>(new IdempotentReplays(replays));
        filter.setName("idempotentReplays");
        // outside the idempotency filter, which answers a replay without passing the request on
        filter.setOrder(Ordered.HIGHEST_PRECEDENCE + 2);
        return filter;
    }

    /**
     * Due timeouts that no replica has run yet. Every replica polls each second, so a timeout due
     * longer than {@code interlock.metrics.deadline-overdue-after} ago means no replica is polling,
     * or all are too busy to: worth an alert. Counted in the database at each scrape.
     */
    @Bean
    Gauge overdueDeadlines(MeterRegistry registry, JdbcTemplate jdbc,
                           @Value("${interlock.metrics.deadline-overdue-after:PT10S}") Duration grace) {
        return Gauge.builder("interlock.deadlines.overdue", () -> {
                    try {
                        return jdbc.queryForObject("select count(*) from scheduled_tasks where picked = false "
                                + "and execution_time < ?", Long.class, Timestamp.from(Instant.now().minus(grace)));
                    } catch (RuntimeException unavailable) {
                        return Double.NaN; // a scrape during an outage says "unknown", not zero
                    }
                })
                .description("Timeouts and other scheduled tasks due for longer than "
                        + "interlock.metrics.deadline-overdue-after that no replica has picked up")
                .register(registry);
    }
}
