package io.interlock.command.gateway;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * RFC 9457 problem bodies, built the same way for controllers and for servlet filters, so every
 * error the gateway gives has one shape (DESIGN §2.7).
 */
@Component
public class Problems {

    public static final MediaType PROBLEM_JSON = MediaType.APPLICATION_PROBLEM_JSON;
    static final String TYPE_BASE = "https://interlock.dev/problems/";

    public enum Type {
        VALIDATION(400, "validation", "Invalid request"),
        UNAUTHENTICATED(401, "unauthenticated", "Authentication required"),
        FORBIDDEN(403, "forbidden", "Forbidden"),
        NOT_FOUND(404, "not-found", "Not found"),
        INVALID_STATE(409, "invalid-state", "Not allowed in the current state"),
        STALE_TASK(409, "stale-task", "Task is not current"),
        LOCK_HELD(409, "lock-held", "Lock held by another operator"),
        CAPACITY_EXHAUSTED(409, "capacity-exhausted", "No capacity left"),
        ALREADY_EXISTS(409, "already-exists", "Already exists"),
        REQUEST_IN_PROGRESS(409, "request-in-progress", "Request with this idempotency key is in progress"),
        METHOD_NOT_ALLOWED(405, "method-not-allowed", "Method not allowed"),
        NOT_ACCEPTABLE(406, "not-acceptable", "Not acceptable"),
        VERSION_MISMATCH(412, "version-mismatch", "Resource has changed"),
        PAYLOAD_TOO_LARGE(413, "payload-too-large", "Request body too large"),
        UNSUPPORTED_MEDIA_TYPE(415, "unsupported-media-type", "Unsupported media type"),
        IDEMPOTENCY_KEY_REUSE(422, "idempotency-key-reuse", "Idempotency key reused for a different request"),
        INTERNAL(500, "internal", "Internal error"),
        UNAVAILABLE(503, "unavailable", "Service unavailable");

        private final int status;
        private final String suffix;
        private final String title;

        Type(int status, String suffix, String title) {
            this.status = status;
            this.suffix = suffix;
            this.title = title;
        }

        public int status() {
            return status;
        }

        /** The type for an HTTP status Spring MVC decided on its own; internal when none fits. */
        public static Type forStatus(int status) {
            for (Type type : values()) {
                if (type.status == status) {
                    return type;
                }
            }
            return INTERNAL;
        }

        public String uri() {
            return TYPE_BASE + suffix;
        }
    }

    private final JsonMapper json;

    public Problems(JsonMapper json) {
        this.json = json;
    }

    public Map<String, Object> body(HttpServletRequest request, Type type, String detail, Map<String, ?> extra) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", type.uri());
        body.put("title", type.title);
        body.put("status", type.status);
        if (detail != null) {
            body.put("detail", detail);
        }
        if (request != null) {
            body.put("instance", request.getRequestURI());
            Object correlationId = request.getAttribute(RequestContext.CORRELATION_ID);
            if (correlationId != null) {
                body.put("correlationId", correlationId);
            }
        }
        body.putAll(extra);
        return body;
    }

    public ResponseEntity<Object> entity(HttpServletRequest request, Type type, String detail, Map<String, ?> extra) {
        return ResponseEntity.status(type.status).contentType(PROBLEM_JSON).body(body(request, type, detail, extra));
    }

    public void write(HttpServletRequest request, HttpServletResponse response, Type type, String detail,
                      Map<String, ?> extra) throws IOException {
        response.setStatus(type.status);
        response.setContentType(PROBLEM_JSON.toString());
        json.writeValue(response.getOutputStream(), body(request, type, detail, extra));
    }
}
