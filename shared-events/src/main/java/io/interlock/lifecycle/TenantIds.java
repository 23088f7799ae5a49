package io.interlock.lifecycle;

/**
 * Each tenant has its own id space: the event store, and everything keyed like it, names a
 * tenant-owned resource (instance, share, node, subsystem) {@code <tenant>:<id>}. Ids chosen by
 * callers cannot contain {@code ':'} and neither can tenants, so the first {@code ':'} always ends
 * the tenant (an nqn keeps its own colons after it). Members write and read bare ids within their
 * own tenant; callers that serve every tenant write the qualified form. Volumes and replacement
 * requests have no tenant and keep their ids as they are.
 */
public final class TenantIds {

    private static final char SEPARATOR = ':';

    private TenantIds() {
    }

    public static String qualify(String tenant, String id) {
        return tenant + SEPARATOR + id;
    }

    /** The id within its tenant, as answers show it; an id that names no tenant is returned as it is. */
    public static String bare(String id) {
        if (id == null) {
            return null;
        }
        int at = id.indexOf(SEPARATOR);
        return at < 0 ? id : id.substring(at + 1);
    }

    /** The tenant a qualified id names, or null when it names none. */
    public static String tenantOf(String id) {
        int at = id == null ? -1 : id.indexOf(SEPARATOR);
        return at <= 0 ? null : id.substring(0, at);
    }

    /**
     * The qualified id a caller means by what it wrote. A caller confined to {@code tenantScope}
     * writes the bare id and can only ever name its own tenant's resources (whatever it writes,
     * colons included). A caller that serves every tenant (null scope) must name the tenant:
     * null when it did not.
     */
    public static String address(String tenantScope, String written) {
        if (tenantScope != null) {
            return qualify(tenantScope, written);
        }
        int at = written.indexOf(SEPARATOR);
        return at > 0 && at < written.length() - 1 ? written : null;
    }
}
