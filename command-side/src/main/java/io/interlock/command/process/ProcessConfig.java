package io.interlock.command.process;

import org.axonframework.config.ConfigurerModule;
import org.axonframework.eventhandling.PropagatingErrorHandler;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Event-processor settings for the cross-resource processes. */
@Configuration
public class ProcessConfig {

    /**
     * A failing saga handler (say, the database blipped) must not be skipped: the error
     * propagates, the tracking processor backs off and handles the same event again. Skipping would
     * leave a deleted volume's step REQUESTED and its lock held for ever.
     */
    @Bean
    ConfigurerModule volumeDeletionRetries() {
        return configurer -> configurer.eventProcessing(processing -> processing
                .registerListenerInvocationErrorHandler(VolumeDeletionSaga.PROCESSOR,
                        c -> PropagatingErrorHandler.instance()));
    }

    /** Likewise a lease release must not be skipped, or the source snapshot stays pinned until the lease expires. */
    @Bean
    ConfigurerModule snapshotLeaseRetries() {
        return configurer -> configurer.eventProcessing(processing -> processing
                .registerListenerInvocationErrorHandler(SnapshotLeaseSaga.PROCESSOR,
                        c -> PropagatingErrorHandler.instance()));
    }
}
