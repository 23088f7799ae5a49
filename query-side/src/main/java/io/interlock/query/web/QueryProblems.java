package io.interlock.query.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.web.ErrorResponse;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.resource.NoResourceFoundException;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Every query-side error as {@code application/problem+json}, with the command side's type URIs. */
@RestControllerAdvice
public class QueryProblems {

    private static final Logger log = LoggerFactory.getLogger(QueryProblems.class);
    private static final String TYPE_BASE = "https://interlock.dev/problems/";

    private final JsonMapper json;

    public QueryProblems(JsonMapper json) {
        this.json = json;
    }

    private static Map<String, Object> body(HttpServletRequest request, int status, String suffix, String title,
                                            String detail, Map<String, ?> extra) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", TYPE_BASE + suffix);
        body.put("title", title);
        body.put("status", status);
        if (detail != null) {
            body.put("detail", detail);
        }
        body.put("instance", request.getRequestURI());
        body.putAll(extra);
        return body;
    }

    private static ResponseEntity<Object> entity(HttpServletRequest request, int status, String suffix, String title,
                                                 String detail, Map<String, ?> extra) {
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(body(request, status, suffix, title, detail, extra));
    }

    @ExceptionHandler(QueryRejection.class)
    ResponseEntity<Object> rejected(QueryRejection e, HttpServletRequest request) {
        QueryRejection.Kind kind = e.kind();
        ResponseEntity<Object> response = entity(request, kind.status, kind.suffix, kind.title, e.getMessage(),
                e.extra());
        if (kind.status == 503) {
            return ResponseEntity.status(503).header("Retry-After", "1").contentType(MediaType.APPLICATION_PROBLEM_JSON)
                    .body(response.getBody());
        }
        return response;
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ResponseEntity<Object> badParameter(MethodArgumentTypeMismatchException e, HttpServletRequest request) {
        return entity(request, 400, "validation", "Invalid request", "Invalid value for " + e.getName(),
                Map.of("errors", List.of(Map.of("field", e.getName(), "message", "invalid value"))));
    }

    @ExceptionHandler(NoResourceFoundException.class)
    ResponseEntity<Object> noRoute(NoResourceFoundException e, HttpServletRequest request) {
        return entity(request, 404, "not-found", "Not found", "No such endpoint", Map.of());
    }

    @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
    ResponseEntity<Object> method(HttpRequestMethodNotSupportedException e, HttpServletRequest request) {
        return entity(request, 405, "method-not-allowed", "Method not allowed", e.getMessage(), Map.of());
    }

    @ExceptionHandler(AccessDeniedException.class)
    ResponseEntity<Object> denied(AccessDeniedException e, HttpServletRequest request) {
        return entity(request, 403, "forbidden", "Forbidden", "Your role may not read this", Map.of());
    }

    /** Problem types for the statuses Spring MVC decides on its own. */
    private static final Map<Integer, String[]> SPRING_STATUSES = Map.of(
            400, new String[]{"validation", "Invalid request"},
            404, new String[]{"not-found", "Not found"},
            405, new String[]{"method-not-allowed", "Method not allowed"},
            406, new String[]{"not-acceptable", "Not acceptable"},
            415, new String[]{"unsupported-media-type", "Unsupported media type"},
            503, new String[]{"unavailable", "Service unavailable"});

    @ExceptionHandler(Exception.class)
    ResponseEntity<Object> unexpected(Exception e, HttpServletRequest request) {
        // Spring MVC's own refusals (406, a missing parameter, ...) carry their status: keep it.
        if (e instanceof ErrorResponse known && SPRING_STATUSES.containsKey(known.getStatusCode().value())) {
            String[] type = SPRING_STATUSES.get(known.getStatusCode().value());
            return entity(request, known.getStatusCode().value(), type[0], type[1], e.getMessage(), Map.of());
        }
        String correlationId = UUID.randomUUID().toString();
        log.error("Unexpected failure {}", correlationId, e);
        return entity(request, 500, "internal", "Internal error", "Unexpected failure; quote the correlation id",
                Map.of("correlationId", correlationId));
    }

    /** A 401 names the scheme to use (RFC 9110), so a browser opening the dashboard asks for credentials. */
    public void unauthenticated(HttpServletRequest request, HttpServletResponse response, AuthenticationException e)
            throws IOException {
        response.setHeader("WWW-Authenticate", "Basic realm=\"interlock\"");
        write(response, 401, body(request, 401, "unauthenticated", "Authentication required",
                "Send HTTP Basic credentials", Map.of()));
    }

    public void forbidden(HttpServletRequest request, HttpServletResponse response, AccessDeniedException e)
            throws IOException {
        write(response, 403, body(request, 403, "forbidden", "Forbidden", "Your role may not read this", Map.of()));
    }

    private void write(HttpServletResponse response, int status, Map<String, Object> body) throws IOException {
        response.setStatus(status);
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        json.writeValue(response.getOutputStream(), body);
    }
}
