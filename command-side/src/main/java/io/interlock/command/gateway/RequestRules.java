package io.interlock.command.gateway;

import io.interlock.edge.BodySizeLimit;
import io.interlock.edge.Problems;
import io.interlock.lifecycle.ProblemType;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;

/**
 * What every endpoint checks before its controller runs, so no endpoint can forget it:
 * <ul>
 * <li>path variables are text the stores can hold (no control characters, at most 255, the event
 *     store's identifier column);</li>
 * <li>{@code If-Match} is well formed on every mutating request, and on a create it fails (412):
 *     there is no resource yet whose version could match;</li>
 * <li>an endpoint that takes no body refuses one with fields, instead of ignoring what the client
 *     meant to say.</li>
 * </ul>
 */
@Configuration
public class RequestRules implements WebMvcConfigurer, HandlerInterceptor {

    static final int MAX_PATH_VARIABLE = 255;
    private static final Set<String> MUTATING = Set.of("POST", "PUT", "PATCH", "DELETE");

    private final Problems problems;
    private final JsonMapper json;

    public RequestRules(Problems problems, JsonMapper json) {
        this.problems = problems;
        this.json = json;
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(this);
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler)
            throws IOException {
        // The container's error page answers a request already refused: nothing is left to check, nor
        // to read. Tomcat forwards there with the error attributes set, for an async request too.
        boolean errorPage = request.getDispatcherType() == DispatcherType.ERROR
                || request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE) != null
                || request.getAttribute(RequestDispatcher.ERROR_EXCEPTION) != null;
        if (!(handler instanceof HandlerMethod method) || errorPage) {
            return true;
        }
        if (request.getAttribute(HandlerMapping.URI_TEMPLATE_VARIABLES_ATTRIBUTE) instanceof Map<?, ?> variables) {
            for (Map.Entry<?, ?> variable : variables.entrySet()) {
                if (!Text.Validator.fits(String.valueOf(variable.getValue()), MAX_PATH_VARIABLE, false)) {
                    throw new InvalidField(String.valueOf(variable.getKey()), "must be at most " + MAX_PATH_VARIABLE
                            + " characters, without control characters");
                }
            }
        }
        if (!MUTATING.contains(request.getMethod())) {
            return true;
        }
        Long expected = Versions.expected(request);
        if (method.hasMethodAnnotation(CreatesResource.class) && request.getHeader("If-Match") != null) {
            problems.write(request, response, ProblemType.VERSION_MISMATCH,
                    "If-Match expects an existing resource, and this request creates one", expected == null
                            ? Map.of() : Map.of("expectedVersion", expected));
            return false;
        }
        boolean takesBody = Arrays.stream(method.getMethodParameters())
                .anyMatch(p -> p.hasParameterAnnotation(RequestBody.class));
        if (!takesBody) {
            byte[] body;
            try {
                body = request.getInputStream().readAllBytes();
            } catch (BodySizeLimit.TooLarge e) {
                problems.write(request, response, ProblemType.PAYLOAD_TOO_LARGE, e.getMessage(), Map.of());
                return false;
            }
            refuseFields(body);
        }
        return true;
    }

    /** An empty body or {@code {}} says nothing; anything else would be ignored, so it is refused. */
    private void refuseFields(byte[] body) {
        if (new String(body, java.nio.charset.StandardCharsets.UTF_8).isBlank()) {
            return;
        }
        JsonNode node;
        try {
            node = json.readTree(body);
        } catch (JacksonException e) {
            throw new InvalidField("body", "malformed JSON");
        }
        if (node.isObject() && node.isEmpty()) {
            return;
        }
        if (node.isObject()) {
            String first = node.propertyNames().iterator().next();
            throw new InvalidField(first, "unknown field: this endpoint takes no body");
        }
        throw new InvalidField("body", "this endpoint takes no body");
    }
}
