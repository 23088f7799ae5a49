package io.interlock.query.store;

import org.axonframework.config.EventProcessingConfigurer;
import org.axonframework.messaging.correlation.CorrelationDataProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.util.Map;

/**
 * Every projection's processing group runs in one event processor, {@value #NAME}, so the event
 * store is read once for all read models, live and in a replay. With a processor per projection
 * each of them read, and skipped, every other projection's events: a replay of a million events
 * read six million rows, and most of the time went to events the reader did not handle. The cost
 * is that projections replay together: a replay of one rebuilds them all, in the same single pass.
 */
@Configuration
public class ProjectionProcessor {

    public static final String NAME = "projections";

    /**
     * Replaces Axon's default provider, which copies each handled event's correlation ids onto
     * every message created while handling it and so deserialized the metadata of every event
     * (a tenth of a replay's time). Projections send no messages, and the audit trail reads
     * metadata straight from the store.
     */
    @Bean
    CorrelationDataProvider noCorrelationData() {
        return message -> Map.of();
    }

    @Autowired
    void assignEveryProjection(EventProcessingConfigurer processing) {
        processing.assignProcessingGroup(group -> NAME);
    }
}
