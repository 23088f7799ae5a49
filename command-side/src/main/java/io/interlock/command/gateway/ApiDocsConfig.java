package io.interlock.command.gateway;

import io.interlock.edge.ApiDocs;
import io.interlock.lifecycle.ProblemType;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.headers.Header;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import org.springdoc.core.customizers.OperationCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.util.EnumSet;
import java.util.Set;

/**
 * The command side's OpenAPI document ({@code /v3/api-docs}, Swagger UI at {@code /swagger-ui.html}),
 * generated from the controllers. Every endpoint here changes something, so each may answer any of
 * the refusals below, and each takes {@code If-Match} and {@code Idempotency-Key}.
 */
@Configuration
public class ApiDocsConfig {

    /** How an endpoint that starts a task answers, for its {@code @ApiResponse}. */
    public static final String TASK_STARTED = "Accepted: the task started (taskId); the agent reports how it ends";

    /** What a mutating endpoint may refuse with; which 409 it is the body's {@code type} says. */
    static final Set<ProblemType> PROBLEMS = EnumSet.of(ProblemType.VALIDATION, ProblemType.UNAUTHENTICATED,
            ProblemType.FORBIDDEN, ProblemType.NOT_FOUND, ProblemType.REQUEST_TIMEOUT, ProblemType.INVALID_STATE,
            ProblemType.STALE_TASK, ProblemType.LOCK_HELD, ProblemType.CAPACITY_EXHAUSTED, ProblemType.ALREADY_EXISTS,
            ProblemType.REQUEST_IN_PROGRESS, ProblemType.VERSION_MISMATCH, ProblemType.PAYLOAD_TOO_LARGE,
            ProblemType.UNSUPPORTED_MEDIA_TYPE, ProblemType.IDEMPOTENCY_KEY_REUSE, ProblemType.INTERNAL);

    @Bean
    OpenAPI commandApiDocument() {
        return ApiDocs.document("Interlock command side", """
                Commands on instances, shares, storage nodes and subsystems, volumes and replacement requests. \
                Every answer carries the resource's state fields and `version` (also as `ETag`); send it back in \
                `If-Match` to act only on what you saw. Refusals are `application/problem+json`. Read models, \
                the audit trail and the change stream are on the query side.""");
    }

    @Bean
    OperationCustomizer commandProblemResponses() {
        OperationCustomizer problems = ApiDocs.problemResponses((handler, method) -> PROBLEMS);
        return (operation, handler) -> {
            problems.customize(operation, handler);
            ApiDocs.header(operation, "If-Match", "\"<version>\": act only if the resource is still at that version "
                    + "(else 412); on a create any If-Match is 412");
            ApiDocs.header(operation, Idempotency.HEADER, "Repeat the request safely: the first answer is replayed "
                    + "(with Idempotency-Replayed: true) for " + "interlock.idempotency.ttl");
            ApiResponse ok = operation.getResponses().get("200");
            // a create answers 201, unless its handler documents the answers it gives itself
            if (handler.hasMethodAnnotation(CreatesResource.class) && ok != null && "OK".equals(ok.getDescription())
                    && !operation.getResponses().containsKey("201")) {
                operation.getResponses().remove("200");
                operation.getResponses().addApiResponse("201", ok.description("Created; Location names it")
                        .addHeaderObject("Location", new Header().schema(new StringSchema())));
            }
            return operation;
        };
    }
}
