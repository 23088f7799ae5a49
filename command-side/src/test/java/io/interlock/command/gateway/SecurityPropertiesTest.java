package io.interlock.command.gateway;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A member without a tenant would be scoped to nothing, and so see everything: it is refused. */
class SecurityPropertiesTest {

    @Test
    void aMemberWithoutATenantIsRefused() {
        assertThatThrownBy(() -> new SecurityProperties(Map.of("carol",
                new SecurityProperties.UserEntry("{noop}x", List.of(Role.MEMBER), null))))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("carol");
    }

    @Test
    void otherRolesNeedNoTenant() {
        SecurityProperties properties = new SecurityProperties(Map.of(
                "ops", new SecurityProperties.UserEntry("{noop}x", List.of(Role.ADMIN), null),
                "dave", new SecurityProperties.UserEntry("{noop}x", List.of(Role.MEMBER), "acme")));

        assertThat(properties.users()).containsKeys("ops", "dave");
    }
}
