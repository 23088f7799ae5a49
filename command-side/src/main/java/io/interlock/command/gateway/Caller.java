package io.interlock.command.gateway;

import io.interlock.lifecycle.Rejection;
import io.interlock.lifecycle.TenantIds;
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

    /**
     * The event-store id of the tenant-owned resource this caller wrote as {@code written} (a path
     * id or a reference in a body): a member's bare id in its own tenant, or the
     * {@code <tenant>:<id>} that a caller serving every tenant must write.
     */
    public String resource(String written) {
        String id = TenantIds.address(tenantScope(), written);
        if (id == null) {
            throw Rejection.validation(null, written, null,
                    "Name the tenant of the resource: <tenant>:" + written);
        }
        return id;
    }

    /** How this caller writes the resource in a URL: bare within its tenant, else qualified. */
    public String written(String id) {
        return tenantScope() != null ? TenantIds.bare(id) : id;
    }
}
