package io.interlock.query.web;

import io.interlock.lifecycle.ProblemType;

import java.util.Map;

/** The query side's one typed refusal; {@link QueryProblems} turns it into a problem response. */
public class QueryRejection extends RuntimeException {

    /** The refusals the query side makes, each one of the problem types both apps share. */
    public enum Kind {
        VALIDATION(ProblemType.VALIDATION),
        NOT_FOUND(ProblemType.NOT_FOUND),
        /** the read model is being rebuilt: serving it now would mean serving half a table */
        REBUILDING(ProblemType.REBUILDING),
        /** read-your-writes could not be honoured in time */
        NOT_YET_PROJECTED(ProblemType.NOT_YET_PROJECTED);

        final ProblemType type;

        Kind(ProblemType type) {
            this.type = type;
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
