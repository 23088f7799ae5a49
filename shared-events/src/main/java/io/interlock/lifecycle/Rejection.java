package io.interlock.lifecycle;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The one typed refusal every aggregate throws. The gateway turns it into an RFC 9457 problem in
 * exactly one place; the aggregate only says why, for which resource, in which state.
 */
public class Rejection extends RuntimeException {

    /** Why a command was refused; each maps to one problem type */
    public enum Reason {
        VALIDATION, NOT_FOUND, INVALID_STATE, STALE_TASK, LOCK_HELD, CAPACITY_EXHAUSTED, ALREADY_EXISTS, FORBIDDEN
    }

    private final Reason reason;
    private final String resourceType;
    private final String resourceId;
    private final String action;
    private final Map<String, Object> state;
    private final Long version;
    private final boolean retryable;

    public Rejection(Reason reason, String resourceType, String resourceId, String action,
                     Map<String, Object> state, Long version, boolean retryable, String detail) {
        // An expected answer, not a fault: the stack trace would cost more than the rest of a rejection.
        super(detail, null, false, false);
        this.reason = reason;
        this.resourceType = resourceType;
        this.resourceId = resourceId;
        this.action = action;
        this.state = state == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(state));
        this.version = version;
        this.retryable = retryable;
    }

    public static Rejection notFound(String resourceType, String resourceId) {
        return new Rejection(Reason.NOT_FOUND, resourceType, resourceId, null, null, null, false,
                "No " + resourceType + " with id " + TenantIds.bare(resourceId));
    }

    public static Rejection validation(String resourceType, String resourceId, String action, String detail) {
        return new Rejection(Reason.VALIDATION, resourceType, resourceId, action, null, null, false, detail);
    }

    public Reason reason() {
        return reason;
    }

    public String resourceType() {
        return resourceType;
    }

    public String resourceId() {
        return resourceId;
    }

    public String action() {
        return action;
    }

    public Map<String, Object> state() {
        return state;
    }

    public Long version() {
        return version;
    }

    public boolean retryable() {
        return retryable;
    }
}
