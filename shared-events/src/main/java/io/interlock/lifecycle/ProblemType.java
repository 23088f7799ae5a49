package io.interlock.lifecycle;

/**
 * The problem types both apps answer with (RFC 9457): one vocabulary, so a client that handles
 * {@code invalid-state} from the command side handles it from the query side too. Each type has
 * one HTTP status; a type URI is {@link #BASE} followed by its suffix.
 */
public enum ProblemType {
    VALIDATION(400, "validation", "Invalid request"),
    UNAUTHENTICATED(401, "unauthenticated", "Authentication required"),
    FORBIDDEN(403, "forbidden", "Forbidden"),
    NOT_FOUND(404, "not-found", "Not found"),
    METHOD_NOT_ALLOWED(405, "method-not-allowed", "Method not allowed"),
    NOT_ACCEPTABLE(406, "not-acceptable", "Not acceptable"),
    INVALID_STATE(409, "invalid-state", "Not allowed in the current state"),
    STALE_TASK(409, "stale-task", "Task is not current"),
    LOCK_HELD(409, "lock-held", "Lock held by another operator"),
    CAPACITY_EXHAUSTED(409, "capacity-exhausted", "No capacity left"),
    ALREADY_EXISTS(409, "already-exists", "Already exists"),
    REQUEST_IN_PROGRESS(409, "request-in-progress", "Request with this idempotency key is in progress"),
    REQUEST_TIMEOUT(408, "request-timeout", "Request not received in time"),
    VERSION_MISMATCH(412, "version-mismatch", "Resource has changed"),
    PAYLOAD_TOO_LARGE(413, "payload-too-large", "Request body too large"),
    UNSUPPORTED_MEDIA_TYPE(415, "unsupported-media-type", "Unsupported media type"),
    IDEMPOTENCY_KEY_REUSE(422, "idempotency-key-reuse", "Idempotency key reused for a different request"),
    HEADERS_TOO_LARGE(431, "headers-too-large", "Request headers too large"),
    INTERNAL(500, "internal", "Internal error"),
    UNAVAILABLE(503, "unavailable", "Service unavailable"),
    /** the query side: a read model being rebuilt is not served as if it were whole */
    REBUILDING(503, "rebuilding", "Read model is being rebuilt"),
    /** the query side: read-your-writes could not be honoured in time */
    NOT_YET_PROJECTED(503, "not-yet-projected", "The projection has not reached that version yet");

    public static final String BASE = "https://interlock.dev/problems/";

    private final int status;
    private final String suffix;
    private final String title;

    ProblemType(int status, String suffix, String title) {
        this.status = status;
        this.suffix = suffix;
        this.title = title;
    }

    public int status() {
        return status;
    }

    public String suffix() {
        return suffix;
    }

    public String title() {
        return title;
    }

    public String uri() {
        return BASE + suffix;
    }

    /**
     * The type for a status the web stack decided on its own (a 405, a 406, an oversized header):
     * the first type with that status, or {@link #INTERNAL} when none has it.
     */
    public static ProblemType forStatus(int status) {
        for (ProblemType type : values()) {
            if (type.status == status) {
                return type;
            }
        }
        return status >= 400 && status < 500 ? VALIDATION : INTERNAL;
    }
}
