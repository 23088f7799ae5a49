package io.interlock.query.web;

import io.interlock.command.support.Api;
import io.interlock.command.support.ApiDocsCoverage;
import io.interlock.query.support.Stack;
import org.junit.jupiter.api.Test;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import tools.jackson.databind.JsonNode;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The query side's OpenAPI document lists every endpoint Spring MVC maps, and Swagger UI serves it. */
class QueryApiDocsTest {

    @Test
    void everyMappedEndpointIsInTheDocument() throws Exception {
        Api.Response docs = Api.as("auditor").get(Stack.query(), "/v3/api-docs");
        assertThat(docs.status()).isEqualTo(200);
        Files.writeString(Path.of("target/openapi-query-side.json"), docs.text());
        JsonNode document = docs.json();
        ApiDocsCoverage.assertDocumented(Stack.query().bean("requestMappingHandlerMapping",
                RequestMappingHandlerMapping.class), document, 20);

        JsonNode list = document.path("paths").path("/v1/instances").path("get");
        assertThat(list.path("parameters").toString()).contains("vmState", "page",
                "sort", "X-Correlation-Id");
        assertThat(list.path("responses").path("503").path("description").asString())
                .contains("rebuilding", "not-yet-projected");
        assertThat(document.path("paths").path("/v1/instances/{id}").path("get").path("parameters").toString())
                .contains("minVersion");
    }

    @Test
    void theDocumentAndSwaggerUiNeedAReadersRole() {
        assertThat(Api.anonymous().get(Stack.query(), "/v3/api-docs").status()).isEqualTo(401);
        for (String user : new String[]{"alice", "admin", "agent", "auditor"}) {
            assertThat(Api.as(user).get(Stack.query(), "/v3/api-docs").status()).as(user).isEqualTo(200);
        }
        assertThat(Api.as("prometheus").password("prometheus-secret").get(Stack.query(), "/v3/api-docs").status())
                .isEqualTo(403);
        Api.Response ui = Api.as("alice").get(Stack.query(), "/swagger-ui/index.html");
        assertThat(ui.status()).isEqualTo(200);
        assertThat(ui.text()).contains("swagger-ui");
    }
}
