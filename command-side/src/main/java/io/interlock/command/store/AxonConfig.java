package io.interlock.command.store;

import io.interlock.command.gateway.CommandDispatcher;
import org.axonframework.messaging.correlation.CorrelationDataProvider;
import org.axonframework.messaging.correlation.SimpleCorrelationDataProvider;
import org.axonframework.serialization.jackson3.Jackson3SerializerCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.jsontype.BasicPolymorphicTypeValidator;

/** Axon wiring that the auto-configuration does not decide for us. */
@Configuration
public class AxonConfig {

    /**
     * Copies who asked, the HTTP correlation and trace ids, the idempotency key and the client
     * address from each command onto the events it causes, so the audit trail needs no other
     * source (DESIGN §5). Axon's default origin provider would replace the caller's correlation id
     * with the command message's own id.
     */
    /**
     * Axon's replay token carries an {@code Object} context typed in its JSON, which Jackson 3
     * refuses to read back by default, so a reset processor could never claim its segments again.
     * Polymorphic types are allowed from Axon's and Interlock's own packages only.
     */
    @Bean
    Jackson3SerializerCustomizer trustedPolymorphicTypes() {
        return builder -> builder.polymorphicTypeValidator(BasicPolymorphicTypeValidator.builder()
                .allowIfSubType("org.axonframework.")
                .allowIfSubType("io.interlock.")
                .build());
    }

    @Bean
    CorrelationDataProvider auditMetadata() {
        return new SimpleCorrelationDataProvider(CommandDispatcher.PRINCIPAL, CommandDispatcher.CORRELATION_ID,
                CommandDispatcher.TRACE_ID, CommandDispatcher.IDEMPOTENCY_KEY, CommandDispatcher.CLIENT_ADDRESS);
    }
}
