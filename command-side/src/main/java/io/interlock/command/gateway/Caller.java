package io.interlock.command.gateway;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;

import java.util.Set;

/** Who sent the current request, and which tenant's resources they may see. */
public record Caller(String name, Set<Role> roles, String tenant) {

    public static Caller current() {
        Authentication auth = SecurityContextHolder.getContext().getAuthentication();
        if (auth != null && auth.getPrincipal() instanceof InterlockUser user) {
            return user.caller();
        }
        throw new IllegalStateException("No authenticated caller on this thread");
    }

    public boolean is(Role role) {
        return roles.contains(role);
    }

    public boolean admin() {
        return is(Role.ADMIN);
    }

    /**
     * The tenant this caller is confined to, or null when it may act across tenants (admins and
     * agents, which serve every tenant).
     */
    public String tenantScope() {
        return admin() || is(Role.AGENT) ? null : tenant;
    }
}
