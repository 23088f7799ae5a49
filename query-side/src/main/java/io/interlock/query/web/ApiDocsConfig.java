package io.interlock.query.web;

import io.interlock.edge.ApiDocs;
import io.interlock.lifecycle.ProblemType;
import io.swagger.v3.oas.models.OpenAPI;
import org.springdoc.core.customizers.OperationCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.util.EnumSet;
import java.util.Set;

/**
 * The query side's OpenAPI document ({@code /v3/api-docs}, Swagger UI at {@code /swagger-ui.html}),
 * generated from the controllers. Every endpoint reads: it may refuse its input, the reader, or
 * answer 503 while its read model is rebuilt or has not reached {@code minVersion} yet.
 */
@Configuration
public class ApiDocsConfig {

    static final Set<ProblemType> PROBLEMS = EnumSet.of(ProblemType.VALIDATION, ProblemType.UNAUTHENTICATED,
            ProblemType.FORBIDDEN, ProblemType.NOT_FOUND, ProblemType.NOT_ACCEPTABLE, ProblemType.INTERNAL,
            ProblemType.REBUILDING, ProblemType.NOT_YET_PROJECTED);

    @Bean
    OpenAPI queryApiDocument() {
        return ApiDocs.document("Interlock query side", """
                Read models of every resource (lists with filters, paging and sorting; one resource with \
                `?minVersion=N` to read your own write), counts, stuck resources, utilisation, the change \
                stream, the audit trail from the event store, and projection administration. Members read \
                their own tenant only. Refusals are `application/problem+json`.""");
    }

    @Bean
    OperationCustomizer queryProblemResponses() {
        return ApiDocs.problemResponses((handler, method) -> PROBLEMS);
    }
}
