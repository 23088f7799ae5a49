package io.interlock.query.web;

import java.util.Map;

/** The query side's one typed refusal; {@link QueryProblems} turns it into a problem response. */
public class QueryRejection extends RuntimeException {

    public enum Kind {
        VALIDATION(400, "validation", "Invalid request"),
        NOT_FOUND(404, "not-found", "Not found"),
        /** the read model is being rebuilt: serving it now would mean serving half a table */
        REBUILDING(503, "rebuilding", "Read model is being rebuilt"),
        /** read-your-writes could not be honoured in time */
        NOT_YET_PROJECTED(503, "not-yet-projected", "The projection has not reached that version yet");

        final int status;
        final String suffix;
        final String title;

        Kind(int status, String suffix, String title) {
            this.status = status;
            this.suffix = suffix;
            this.title = title;
        }
    }

    private final Kind kind;
    private final Map<String, Object> extra;

    public QueryRejection(Kind kind, String detail, Map<String, Object> extra) {
        super(detail);
        this.kind = kind;
        this.extra = extra;
    }

    public static QueryRejection notFound(String type, String id) {
        return new QueryRejection(Kind.NOT_FOUND, "No " + type + " with id " + id, Map.of("resourceId", id));
    }

    public static QueryRejection invalid(String field, String message) {
        return new QueryRejection(Kind.VALIDATION, message, Map.of("errors", java.util.List.of(
                Map.of("field", field, "message", message))));
    }

    public Kind kind() {
        return kind;
    }

    public Map<String, Object> extra() {
        return extra;
    }
}
