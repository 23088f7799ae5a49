package io.interlock.edge;

import io.interlock.lifecycle.ProblemType;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * RFC 9457 problem bodies, in the vocabulary both apps share ({@link ProblemType}), built the same
 * way for controllers, exception handlers and servlet filters, so that every error either app gives
 * has one shape and names the request's correlation id.
 */
public class Problems {

    public static final MediaType PROBLEM_JSON = MediaType.APPLICATION_PROBLEM_JSON;

    private final JsonMapper json;

    public Problems(JsonMapper json) {
        this.json = json;
    }

    public Map<String, Object> body(HttpServletRequest request, ProblemType type, String detail, Map<String, ?> extra) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", type.uri());
        body.put("title", type.title());
        body.put("status", type.status());
        if (detail != null) {
            body.put("detail", detail);
        }
        if (request != null) {
            body.put("instance", request.getRequestURI());
            body.put("correlationId", RequestContext.correlationId(request));
        }
        body.putAll(extra);
        return body;
    }

    public ResponseEntity<Object> entity(HttpServletRequest request, ProblemType type, String detail, Map<String, ?> extra) {
        return ResponseEntity.status(type.status()).contentType(PROBLEM_JSON).body(body(request, type, detail, extra));
    }

    /** For filters and security handlers, which answer outside Spring MVC. */
    public void write(HttpServletRequest request, HttpServletResponse response, ProblemType type, String detail,
                      Map<String, ?> extra) throws IOException {
        response.setStatus(type.status());
        response.setHeader(RequestContext.CORRELATION_HEADER, RequestContext.correlationId(request));
        response.setContentType(PROBLEM_JSON.toString());
        json.writeValue(response.getOutputStream(), body(request, type, detail, extra));
    }
}
