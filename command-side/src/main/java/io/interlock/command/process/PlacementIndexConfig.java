package io.interlock.command.process;

import io.interlock.command.store.CommandTransactions;
import org.axonframework.config.EventProcessingConfigurer;
import org.axonframework.eventhandling.PropagatingErrorHandler;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Configuration;

/**
 * The placement index must change in the same transaction as its events, and a failure to update
 * it must fail the command rather than be logged and skipped: otherwise the index would drift from
 * the event store with nothing to repair it. It joins the transaction of the command or deadline
 * whose events it handles, whichever kind that is.
 */
@Configuration
public class PlacementIndexConfig {

    @Autowired
    void subscribing(EventProcessingConfigurer processing, CommandTransactions transactions) {
        processing.registerSubscribingEventProcessor(PlacementIndex.GROUP)
                .registerTransactionManager(PlacementIndex.GROUP, c -> transactions.forSubscribers())
                .registerListenerInvocationErrorHandler(PlacementIndex.GROUP, c -> PropagatingErrorHandler.instance());
    }
}
