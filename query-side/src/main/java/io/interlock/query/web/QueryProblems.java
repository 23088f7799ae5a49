package io.interlock.query.web;

import io.interlock.edge.Problems;
import io.interlock.edge.RequestContext;
import io.interlock.lifecycle.ProblemType;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.web.ErrorResponse;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.resource.NoResourceFoundException;
import org.springframework.web.util.DisconnectedClientHelper;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Every query-side error as {@code application/problem+json}, in the problem vocabulary both apps
 * share ({@link ProblemType}), with the request's correlation id. A refusal (4xx) is the client's
 * business and is not logged; only a failure of ours (5xx) is, once, as an error.
 */
@RestControllerAdvice
public class QueryProblems {

    private static final Logger log = LoggerFactory.getLogger(QueryProblems.class);

    private final Problems problems;

    public QueryProblems(Problems problems) {
        this.problems = problems;
    }

    private static Map<String, Object> naming(String field, String message) {
        return Map.of("errors", List.of(Map.of("field", field, "message", message)));
    }

    @ExceptionHandler(QueryRejection.class)
    ResponseEntity<Object> rejected(QueryRejection e, HttpServletRequest request) {
        ProblemType type = e.kind().type;
        ResponseEntity<Object> response = problems.entity(request, type, e.getMessage(), e.extra());
        if (type.status() == 503) {
            return ResponseEntity.status(503).header("Retry-After", "1").contentType(Problems.PROBLEM_JSON)
                    .body(response.getBody());
        }
        return response;
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ResponseEntity<Object> badParameter(MethodArgumentTypeMismatchException e, HttpServletRequest request) {
        String expected = e.getRequiredType() == null ? "value" : e.getRequiredType().getSimpleName().toLowerCase();
        return problems.entity(request, ProblemType.VALIDATION, "Invalid value for " + e.getName(),
                naming(e.getName(), "must be a " + expected));
    }

    @ExceptionHandler(MissingServletRequestParameterException.class)
    ResponseEntity<Object> missingParameter(MissingServletRequestParameterException e, HttpServletRequest request) {
        return problems.entity(request, ProblemType.VALIDATION, e.getParameterName() + " is required",
                naming(e.getParameterName(), "is required"));
    }

    @ExceptionHandler(NoResourceFoundException.class)
    ResponseEntity<Object> noRoute(NoResourceFoundException e, HttpServletRequest request) {
        return problems.entity(request, ProblemType.NOT_FOUND, "No such endpoint", Map.of());
    }

    @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
    ResponseEntity<Object> method(HttpRequestMethodNotSupportedException e, HttpServletRequest request) {
        ResponseEntity<Object> problem = problems.entity(request, ProblemType.METHOD_NOT_ALLOWED,
                e.getMethod() + " is not allowed here", Map.of());
        if (e.getSupportedHttpMethods() == null) {
            return problem;
        }
        return ResponseEntity.status(405).header(HttpHeaders.ALLOW, e.getSupportedHttpMethods().stream()
                        .map(Object::toString).collect(Collectors.joining(", ")))
                .contentType(Problems.PROBLEM_JSON).body(problem.getBody());
    }

    @ExceptionHandler(AccessDeniedException.class)
    ResponseEntity<Object> denied(AccessDeniedException e, HttpServletRequest request) {
        return problems.entity(request, ProblemType.FORBIDDEN, "Your role may not read this", Map.of());
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<Object> unexpected(Exception e, HttpServletRequest request) {
        if (DisconnectedClientHelper.isClientDisconnectedException(e)) {
            // a client that went away (a closed dashboard, say) is no failure, and can be sent nothing
            log.debug("Client went away: {}", e.toString());
            return null;
        }
        // Spring MVC's own refusals (406, 415, ...) carry their status: keep it
        if (e instanceof ErrorResponse known && known.getStatusCode().is4xxClientError()) {
            return problems.entity(request, ProblemType.forStatus(known.getStatusCode().value()),
                    known.getBody().getDetail(), Map.of());
        }
        log.error("Unexpected failure {}", RequestContext.correlationId(request), e);
        return problems.entity(request, ProblemType.INTERNAL, "Unexpected failure; quote the correlation id", Map.of());
    }

    /**
     * A 401 names the scheme to use (RFC 9110), so a browser opening Swagger UI or a URL of the API
     * asks for credentials. Not for the dashboard's own requests ({@code X-Requested-With}): the
     * challenge would make the browser show its dialog over the page's sign-in form.
     */
    public void unauthenticated(HttpServletRequest request, HttpServletResponse response, AuthenticationException e)
            throws IOException {
        if (!"XMLHttpRequest".equals(request.getHeader("X-Requested-With"))) {
            response.setHeader("WWW-Authenticate", "Basic realm=\"interlock\"");
        }
        problems.write(request, response, ProblemType.UNAUTHENTICATED, "Send HTTP Basic credentials", Map.of());
    }

    public void forbidden(HttpServletRequest request, HttpServletResponse response, AccessDeniedException e)
            throws IOException {
        problems.write(request, response, ProblemType.FORBIDDEN, "Your role may not read this", Map.of());
    }
}
