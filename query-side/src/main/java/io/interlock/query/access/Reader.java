package io.interlock.query.access;

import io.interlock.lifecycle.TenantIds;
import io.interlock.query.web.QueryRejection;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.userdetails.User;

import java.util.Set;

/** Who is reading, and which tenant's resources they may see. */
public record Reader(String name, Set<Role> roles, String tenant) {

    public static Reader current() {
        Authentication auth = SecurityContextHolder.getContext().getAuthentication();
        if (auth != null && auth.getPrincipal() instanceof Account account) {
            return account.reader();
        }
        throw new IllegalStateException("No authenticated reader on this thread");
    }

    /** A member sees its own tenant only; every other role reads across tenants. */
    public String tenantScope() {
        return roles.contains(Role.MEMBER) && !roles.contains(Role.ADMIN) ? tenant : null;
    }

    /** The tenant a list is confined to: a member's own, or the one others asked for (null: every tenant). */
    public String tenantFilter(String requested) {
        String scope = tenantScope();
        return scope != null ? scope : requested;
    }

    /** A member asking to list another tenant gets an empty list, exactly as if that tenant had nothing. */
    public boolean asksForAnotherTenant(String requested) {
        String scope = tenantScope();
        return scope != null && requested != null && !requested.equals(scope);
    }

    /**
     * The key of the tenant-owned resource this reader wrote as {@code written} (a path id or a
     * filter): a member's bare id in its own tenant, or the {@code <tenant>:<id>} that a reader
     * of every tenant must write.
     */
    public String resource(String written) {
        String id = TenantIds.address(tenantScope(), written);
        if (id == null) {
            throw QueryRejection.invalid("id", "Name the tenant of the resource: <tenant>:" + written);
        }
        return id;
    }

    public boolean sees(String resourceTenant) {
        String scope = tenantScope();
        return scope == null || scope.equals(resourceTenant);
    }

    /** A configured credential that carries its tenant. */
    public static class Account extends User {
        private final Reader reader;

        public Account(String name, String password, Set<Role> roles, String tenant) {
            super(name, password, roles.stream().map(r -> new SimpleGrantedAuthority("ROLE_" + r.name())).toList());
            this.reader = new Reader(name, Set.copyOf(roles), tenant);
        }

        public Reader reader() {
            return reader;
        }
    }
}
