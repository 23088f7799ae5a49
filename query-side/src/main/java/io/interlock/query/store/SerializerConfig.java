package io.interlock.query.store;

import org.axonframework.serialization.jackson3.Jackson3SerializerCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.jsontype.BasicPolymorphicTypeValidator;

/**
 * Axon's replay token carries an {@code Object} context typed in its JSON, which Jackson 3 refuses
 * to read back by default; after a reset no segment could be claimed. Polymorphic types are
 * allowed from Axon's and Interlock's own packages only, never from arbitrary classes.
 */
@Configuration
public class SerializerConfig {

    @Bean
    Jackson3SerializerCustomizer trustedPolymorphicTypes() {
        return builder -> builder.polymorphicTypeValidator(BasicPolymorphicTypeValidator.builder()
                .allowIfSubType("org.axonframework.")
                .allowIfSubType("io.interlock.")
                .build());
    }
}
