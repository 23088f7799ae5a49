package io.interlock.query.store;

import io.interlock.query.overview.ReadModel;
import org.axonframework.config.EventProcessingConfigurer;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.messaging.correlation.CorrelationDataProvider;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.AnnotationUtils;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every projection's processing group runs in one event processor, {@value #NAME}, so the event
 * store is read once for all read models, live and in a replay. With a processor per projection
 * each of them read, and skipped, every other projection's events: a replay of a million events
 * read six million rows, and most of the time went to events the reader did not handle. The cost
 * is that projections replay together: a replay of one rebuilds them all, in the same single pass.
 * <p>
 * Sharing a processor must not mean sharing a failure: an event one projection cannot write or
 * handle stops that projection alone (see {@link BatchedRows} and {@link ProjectionFailures}),
 * and never passes unnoticed. Axon's default for a failing handler logs and moves on, which
 * would skip the event for good; here it stops the handler's projection instead.
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
    void assignEveryProjection(EventProcessingConfigurer processing, ProjectionFailures failures,
                               ObjectProvider<ReadModel> readModels) {
        processing.assignProcessingGroup(group -> NAME);
        Map<String, String> projectionOfType = new ConcurrentHashMap<>();
        processing.registerHandlerInterceptor(NAME, config -> (unitOfWork, chain) -> {
            if (projectionOfType.isEmpty()) {
                readModels.forEach(m -> projectionOfType.put(m.type(), m.processingGroup()));
            }
            ProjectionBatch.begin(unitOfWork, failures, projectionOfType);
            return chain.proceed();
        });
        processing.registerDefaultListenerInvocationErrorHandler(config -> (exception, event, handler) -> {
            ProcessingGroup group = AnnotationUtils.findAnnotation(handler.getTargetType(), ProcessingGroup.class);
            Optional<ProjectionBatch> batch = ProjectionBatch.current();
            if (group == null || batch.isEmpty()) {
                throw exception;
            }
            batch.get().fail(group.value(), event, exception);
        });
    }
}
