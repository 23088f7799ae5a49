package io.interlock.command.gateway;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.util.List;
import java.util.Map;

/** Credentials per deployment: {@code interlock.security.users.<name>.{password,roles,tenant}}. */
@ConfigurationProperties("interlock.security")
public record SecurityProperties(Map<String, UserEntry> users) {

    public record UserEntry(String password, List<Role> roles, String tenant) {
    }

    public SecurityProperties {
        users = users == null ? Map.of() : users;
        // A member without a tenant would be scoped to nothing and so see everything: refuse it.
        users.forEach((name, user) -> {
            if (user.roles() != null && user.roles().contains(Role.MEMBER) && (user.tenant() == null || user.tenant().isBlank())) {
                throw new IllegalStateException("User '" + name + "' is a member but has no tenant");
            }
        });
    }
}
