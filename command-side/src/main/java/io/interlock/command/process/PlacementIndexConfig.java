package io.interlock.command.process;

import org.axonframework.config.EventProcessingConfigurer;
import org.axonframework.eventhandling.PropagatingErrorHandler;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Configuration;

/**
 * The placement index must change in the same transaction as its events, and a failure to update
 * it must fail the command rather than be logged and skipped: otherwise the index would drift from
 * the event store with nothing to repair it.
 */
@Configuration
public class PlacementIndexConfig {

    @Autowired
    void subscribing(EventProcessingConfigurer processing) {
        processing.registerSubscribingEventProcessor(PlacementIndex.GROUP)
                .registerListenerInvocationErrorHandler(PlacementIndex.GROUP, c -> PropagatingErrorHandler.instance());
    }
}
