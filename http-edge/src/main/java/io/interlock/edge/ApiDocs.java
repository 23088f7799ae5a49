package io.interlock.edge;

import io.interlock.lifecycle.ProblemType;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.parameters.HeaderParameter;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import org.springdoc.core.customizers.OperationCustomizer;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.method.HandlerMethod;

import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiFunction;
import java.util.stream.Collectors;

/**
 * What both apps' OpenAPI documents share: HTTP Basic as the one security scheme, the problem body
 * (RFC 9457) and, on every operation, the problem responses it can answer with and the correlation
 * header. Each app says which problem types its operations give; the document is generated from the
 * controllers, so it cannot forget an endpoint.
 */
public final class ApiDocs {

    public static final String BASIC = "basic";
    public static final String PROBLEM = "Problem";

    private ApiDocs() {
    }

    public static OpenAPI document(String title, String description) {
        return new OpenAPI()
                .info(new Info().title(title).description(description).version("v1"))
                .components(new Components()
                        .addSecuritySchemes(BASIC, new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("basic")
                                .description("The configured users (interlock.security.users); every endpoint but "
                                        + "/actuator/health needs them"))
                        .addSchemas(PROBLEM, problem()))
                .addSecurityItem(new SecurityRequirement().addList(BASIC));
    }

    private static Schema<?> problem() {
        return new ObjectSchema()
                .description("An RFC 9457 problem. Refusals about a resource add resourceType, resourceId, action, "
                        + "its state fields, version and retryable; validation problems list errors by field.")
                .addProperty("type", new StringSchema().example(ProblemType.VALIDATION.uri())
                        ._enum(Arrays.stream(ProblemType.values()).map(ProblemType::uri).toList()))
                .addProperty("title", new StringSchema())
                .addProperty("status", new IntegerSchema())
                .addProperty("detail", new StringSchema())
                .addProperty("instance", new StringSchema().description("the request's path"))
                .addProperty("correlationId", new StringSchema().description("also in X-Correlation-Id"))
                .additionalProperties(true);
    }

    /**
     * Adds to each operation the problems {@code problems} names for it (grouped by status, each
     * status describing its types) and the optional {@code X-Correlation-Id} and {@code traceparent}
     * headers. Runs once, when the document is generated.
     */
    public static OperationCustomizer problemResponses(
            BiFunction<HandlerMethod, RequestMethod, Collection<ProblemType>> problems) {
        return (operation, handler) -> {
            RequestMethod method = method(handler);
            Map<Integer, List<ProblemType>> byStatus = problems.apply(handler, method).stream()
                    .collect(Collectors.groupingBy(ProblemType::status, TreeMap::new, Collectors.toList()));
            ApiResponses responses = operation.getResponses() == null ? new ApiResponses() : operation.getResponses();
            byStatus.forEach((status, types) -> responses.addApiResponse(String.valueOf(status), new ApiResponse()
                    .description(types.stream().map(t -> "`" + t.suffix() + "`: " + t.title())
                            .collect(Collectors.joining("; ")))
                    .content(new Content().addMediaType(Problems.PROBLEM_JSON.toString(),
                            new MediaType().schema(new Schema<>().$ref("#/components/schemas/" + PROBLEM))))));
            operation.setResponses(responses);
            // named for what they do (instanceCreate), not numbered by springdoc (create_3)
            String resource = handler.getBeanType().getSimpleName().replaceFirst("(Query)?Controller$", "");
            operation.setOperationId(Character.toLowerCase(resource.charAt(0)) + resource.substring(1)
                    + Character.toUpperCase(handler.getMethod().getName().charAt(0))
                    + handler.getMethod().getName().substring(1));
            operation.setTags(List.of(resource));
            header(operation, RequestContext.CORRELATION_HEADER, "A plain token (up to 128 of A-Z a-z 0-9 . _ : -) "
                    + "to follow the request by; made up when absent, and always sent back");
            header(operation, "traceparent", "W3C trace context; its trace id is recorded on every event");
            return operation;
        };
    }

    /** An optional request header, documented on {@code operation}. */
    public static void header(Operation operation, String name, String description) {
        Parameter header = new HeaderParameter().name(name).required(false).description(description)
                .schema(new StringSchema());
        if (operation.getParameters() == null || operation.getParameters().stream()
                .noneMatch(p -> name.equalsIgnoreCase(p.getName()))) {
            operation.addParametersItem(header);
        }
    }

    /** The handler's HTTP method, from its mapping annotation (GET when it names none). */
    public static RequestMethod method(HandlerMethod handler) {
        RequestMapping mapping = AnnotatedElementUtils.findMergedAnnotation(handler.getMethod(), RequestMapping.class);
        return mapping == null || mapping.method().length == 0 ? RequestMethod.GET : mapping.method()[0];
    }
}
