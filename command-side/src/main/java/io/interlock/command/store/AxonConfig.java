package io.interlock.command.store;

import io.interlock.command.gateway.CommandDispatcher;
import org.axonframework.messaging.correlation.CorrelationDataProvider;
import org.axonframework.messaging.correlation.SimpleCorrelationDataProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Axon wiring that the auto-configuration does not decide for us. */
@Configuration
public class AxonConfig {

    /**
     * Copies who asked, the HTTP correlation and trace ids, the idempotency key and the client
     * address from each command onto the events it causes, so the audit trail needs no other
     * source (DESIGN §5). Axon's default origin provider would replace the caller's correlation id
     * with the command message's own id.
     */
    @Bean
    CorrelationDataProvider auditMetadata() {
        return new SimpleCorrelationDataProvider(CommandDispatcher.PRINCIPAL, CommandDispatcher.CORRELATION_ID,
                CommandDispatcher.TRACE_ID, CommandDispatcher.IDEMPOTENCY_KEY, CommandDispatcher.CLIENT_ADDRESS);
    }
}
