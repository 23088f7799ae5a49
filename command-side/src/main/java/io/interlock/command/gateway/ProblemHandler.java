package io.interlock.command.gateway;

import io.interlock.edge.BodySizeLimit;
import io.interlock.edge.Problems;
import io.interlock.lifecycle.ProblemType;
import io.interlock.lifecycle.TenantIds;

import io.interlock.lifecycle.Rejection;
import jakarta.servlet.http.HttpServletRequest;
import org.axonframework.commandhandling.CommandExecutionException;
import org.axonframework.eventsourcing.IncompatibleAggregateException;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.modelling.command.AggregateStreamCreationException;
import org.axonframework.modelling.command.ConcurrencyException;
import org.axonframework.modelling.command.ConflictingAggregateVersionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.ErrorResponse;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.MissingRequestHeaderException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.resource.NoResourceFoundException;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** The one place where refusals and failures become problem responses. */
@RestControllerAdvice
public class ProblemHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemHandler.class);

    private final Problems problems;

    public ProblemHandler(Problems problems) {
        this.problems = problems;
    }

    @ExceptionHandler(Rejection.class)
    ResponseEntity<Object> rejected(Rejection e, HttpServletRequest request) {
        Map<String, Object> extra = new LinkedHashMap<>();
        if (e.resourceType() != null) {
            extra.put("resourceType", e.resourceType());
        }
        if (e.resourceId() != null) {
            extra.put("resourceId", TenantIds.bare(e.resourceId()));
        }
        if (e.action() != null) {
            extra.put("action", e.action());
        }
        extra.putAll(e.state());
        if (e.version() != null) {
            extra.put("version", e.version());
        }
        if (e.reason() != Rejection.Reason.VALIDATION && e.reason() != Rejection.Reason.NOT_FOUND) {
            extra.put("retryable", e.retryable());
        }
        return problems.entity(request, typeOf(e.reason()), e.getMessage(), extra);
    }

    private static ProblemType typeOf(Rejection.Reason reason) {
        return switch (reason) {
            case VALIDATION -> ProblemType.VALIDATION;
            case NOT_FOUND -> ProblemType.NOT_FOUND;
            case INVALID_STATE -> ProblemType.INVALID_STATE;
            case STALE_TASK -> ProblemType.STALE_TASK;
            case LOCK_HELD -> ProblemType.LOCK_HELD;
            case CAPACITY_EXHAUSTED -> ProblemType.CAPACITY_EXHAUSTED;
            case ALREADY_EXISTS -> ProblemType.ALREADY_EXISTS;
            case FORBIDDEN -> ProblemType.FORBIDDEN;
        };
    }

    @ExceptionHandler(CommandExecutionException.class)
    ResponseEntity<Object> commandFailed(CommandExecutionException e, HttpServletRequest request) {
        Throwable cause = e.getCause();
        if (cause instanceof Rejection rejection) {
            return rejected(rejection, request);
        }
        if (cause instanceof IncompatibleAggregateException otherType) {
            return otherType(otherType, request);
        }
        return unexpected(e, request);
    }

    @ExceptionHandler(AggregateNotFoundException.class)
    ResponseEntity<Object> notFound(AggregateNotFoundException e, HttpServletRequest request) {
        String id = TenantIds.bare(String.valueOf(e.getAggregateIdentifier()));
        return problems.entity(request, ProblemType.NOT_FOUND, "No such resource: " + id, Map.of("resourceId", id));
    }

    /**
     * Every resource type shares one id space in the event store, so an id may name a resource of
     * another type (a node called like an instance). Loading it as this type finds no event it
     * knows: for this type, there is no such resource.
     */
    @ExceptionHandler(IncompatibleAggregateException.class)
    ResponseEntity<Object> otherType(IncompatibleAggregateException e, HttpServletRequest request) {
        log.debug("Answered 404 for an id whose events belong to another resource type: {}", e.getMessage());
        return problems.entity(request, ProblemType.NOT_FOUND, "No such resource", Map.of());
    }

    @ExceptionHandler(AggregateStreamCreationException.class)
    ResponseEntity<Object> alreadyExists(AggregateStreamCreationException e, HttpServletRequest request) {
        return problems.entity(request, ProblemType.ALREADY_EXISTS, "A resource with this id already exists",
                Map.of("retryable", false));
    }

    @ExceptionHandler(ConflictingAggregateVersionException.class)
    ResponseEntity<Object> versionMismatch(ConflictingAggregateVersionException e, HttpServletRequest request) {
        return problems.entity(request, ProblemType.VERSION_MISMATCH,
                "The resource is at version " + e.getActualVersion() + ", not " + e.getExpectedVersion(),
                Map.of("resourceId", TenantIds.bare(String.valueOf(e.getAggregateIdentifier())),
                        "version", e.getActualVersion(), "expectedVersion", e.getExpectedVersion()));
    }

    /** Only reached when every retry lost its race; waiting and trying again will help. */
    @ExceptionHandler(ConcurrencyException.class)
    ResponseEntity<Object> stillContended(ConcurrencyException e, HttpServletRequest request) {
        return problems.entity(request, ProblemType.INVALID_STATE,
                "The resource kept changing while this command was retried", Map.of("retryable", true));
    }

    @ExceptionHandler(MethodArgumentNotValidException.class)
    ResponseEntity<Object> invalid(MethodArgumentNotValidException e, HttpServletRequest request) {
        List<Map<String, String>> errors = e.getBindingResult().getFieldErrors().stream()
                .map(f -> Map.of("field", f.getField(), "message", String.valueOf(f.getDefaultMessage())))
                .toList();
        return problems.entity(request, ProblemType.VALIDATION, "Some fields are invalid", Map.of("errors", errors));
    }

    @ExceptionHandler(HandlerMethodValidationException.class)
    ResponseEntity<Object> invalid(HandlerMethodValidationException e, HttpServletRequest request) {
        String detail = e.getAllErrors().stream().map(Object::toString).collect(Collectors.joining("; "));
        return problems.entity(request, ProblemType.VALIDATION, detail, Map.of());
    }

    @ExceptionHandler(InvalidField.class)
    ResponseEntity<Object> invalidField(InvalidField e, HttpServletRequest request) {
        return fieldProblem(request, "The request is not valid", e.field(), e.getMessage());
    }

    private ResponseEntity<Object> fieldProblem(HttpServletRequest request, String detail, String field,
                                                String message) {
        return problems.entity(request, ProblemType.VALIDATION, detail,
                Map.of("errors", List.of(Map.of("field", field, "message", message))));
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    ResponseEntity<Object> unreadable(HttpMessageNotReadableException e, HttpServletRequest request) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof BodySizeLimit.TooLarge tooLarge) {
                return problems.entity(request, ProblemType.PAYLOAD_TOO_LARGE, tooLarge.getMessage(), Map.of());
            }
            if (t instanceof JacksonException jackson) {
                return fieldProblem(request, "The request body is not valid", field(jackson), reason(jackson));
            }
        }
        return fieldProblem(request, "The request body is not valid JSON", "body", "malformed JSON");
    }

    /**
     * The dotted path of the field at fault. Databinding failures carry it; a key given twice is
     * located by the parser's position in the document. A syntax error is the body's as a whole.
     */
    private static String field(JacksonException e) {
        String path = e.getPath().stream()
                .map(ref -> ref.getPropertyName() != null ? ref.getPropertyName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining("."));
        if (path.isEmpty() && duplicate(e) && e.processor() instanceof JsonParser parser) {
            path = parser.streamReadContext().pathAsPointer().toString().replaceFirst("^/", "").replace('/', '.');
        }
        return path.isEmpty() ? "body" : path;
    }

    private static boolean duplicate(JacksonException e) {
        return e instanceof StreamReadException && String.valueOf(e.getOriginalMessage()).startsWith("Duplicate");
    }

    /** Says what is wrong in the client's terms, without the server's class names. */
    private static String reason(JacksonException e) {
        if (e instanceof UnrecognizedPropertyException) {
            return "unknown field";
        }
        if (duplicate(e)) {
            return "duplicate field";
        }
        if (e instanceof MismatchedInputException mismatch && mismatch.getTargetType() != null) {
            Class<?> target = mismatch.getTargetType();
            if (target.isEnum()) {
                return "must be one of " + Arrays.stream(target.getEnumConstants()).map(Object::toString)
                        .collect(Collectors.joining(", ")) + ", as a JSON string";
            }
            return "must be " + jsonType(target);
        }
        if (e instanceof StreamReadException) {
            return "malformed JSON";
        }
        String message = e.getOriginalMessage();
        return message == null ? "invalid" : firstLine(message);
    }

    private static String jsonType(Class<?> target) {
        if (target == String.class) {
            return "a JSON string";
        }
        if (target == Boolean.class || target == boolean.class) {
            return "a JSON boolean (true or false)";
        }
        if (target == Integer.class || target == int.class || target == Long.class || target == long.class) {
            return "a JSON integer";
        }
        if (Number.class.isAssignableFrom(target) || target.isPrimitive()) {
            return "a JSON number";
        }
        if (Map.class.isAssignableFrom(target) || target.isRecord()) {
            return "a JSON object";
        }
        if (Collection.class.isAssignableFrom(target) || target.isArray()) {
            return "a JSON array";
        }
        return "of another JSON type";
    }

    private static String firstLine(String message) {
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ResponseEntity<Object> badParameter(MethodArgumentTypeMismatchException e, HttpServletRequest request) {
        return fieldProblem(request, "The request is not valid", e.getName(), "has the wrong type");
    }

    @ExceptionHandler(MissingRequestHeaderException.class)
    ResponseEntity<Object> missingHeader(MissingRequestHeaderException e, HttpServletRequest request) {
        return fieldProblem(request, "The request is not valid", e.getHeaderName(), "is required");
    }

    @ExceptionHandler(HttpMediaTypeNotSupportedException.class)
    ResponseEntity<Object> mediaType(HttpMediaTypeNotSupportedException e, HttpServletRequest request) {
        return problems.entity(request, ProblemType.UNSUPPORTED_MEDIA_TYPE, "Send application/json",
                Map.of("contentType", String.valueOf(e.getContentType())));
    }

    @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
    ResponseEntity<Object> method(HttpRequestMethodNotSupportedException e, HttpServletRequest request) {
        return problems.entity(request, ProblemType.METHOD_NOT_ALLOWED, e.getMessage(), Map.of());
    }

    @ExceptionHandler(NoResourceFoundException.class)
    ResponseEntity<Object> noRoute(NoResourceFoundException e, HttpServletRequest request) {
        return problems.entity(request, ProblemType.NOT_FOUND, "No such endpoint", Map.of());
    }

    @ExceptionHandler(AccessDeniedException.class)
    ResponseEntity<Object> denied(AccessDeniedException e, HttpServletRequest request) {
        return problems.entity(request, ProblemType.FORBIDDEN, "Your role may not do this", Map.of());
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<Object> unexpected(Exception e, HttpServletRequest request) {
        // Spring MVC's own refusals (406, a missing parameter, ...) carry their status: keep it.
        if (e instanceof ErrorResponse known && known.getStatusCode().value() != 500) {
            return problems.entity(request, ProblemType.forStatus(known.getStatusCode().value()), e.getMessage(),
                    Map.of());
        }
        log.error("Unexpected failure", e);
        return problems.entity(request, ProblemType.INTERNAL,
                "Unexpected failure; quote the correlation id when reporting it", Map.of());
    }
}
