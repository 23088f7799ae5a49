package io.interlock.command.gateway;

import io.interlock.command.support.Api;
import io.interlock.command.support.ApiDocsCoverage;
import io.interlock.command.support.TwoReplicas;
import org.junit.jupiter.api.Test;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import tools.jackson.databind.JsonNode;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The command side's OpenAPI document lists every endpoint Spring MVC maps, and Swagger UI serves it. */
class ApiDocsTest {

    @Test
    void everyMappedEndpointIsInTheDocument() throws Exception {
        Api.Response docs = Api.as("alice").get(TwoReplicas.a(), "/v3/api-docs");
        assertThat(docs.status()).isEqualTo(200);
        JsonNode document = docs.json();
        Files.writeString(Path.of("target/openapi-command-side.json"), docs.text());
        ApiDocsCoverage.assertDocumented(TwoReplicas.a().bean("requestMappingHandlerMapping",
                RequestMappingHandlerMapping.class), document, 30);

        JsonNode create = document.path("paths").path("/v1/instances").path("post");
        assertThat(create.path("responses").has("201")).isTrue();
        assertThat(create.path("requestBody").path("content").path("application/json").path("schema").toString())
                .contains("CreateRequest");
        assertThat(create.path("responses").path("409").path("description").asString())
                .contains("invalid-state", "already-exists", "request-in-progress");
        assertThat(create.path("parameters").toString()).contains("Idempotency-Key", "If-Match", "X-Correlation-Id");
        JsonNode act = document.path("paths").path("/v1/instances/{id}/actions/{action}").path("post");
        assertThat(act.path("parameters").toString()).contains("\"in\":\"path\"", "\"name\":\"action\"");
        assertThat(act.path("responses").has("202")).isTrue();
    }

    @Test
    void theDocumentAndSwaggerUiNeedCredentialsButNoParticularRole() {
        assertThat(Api.anonymous().get(TwoReplicas.a(), "/v3/api-docs").status()).isEqualTo(401);
        for (String user : new String[]{"alice", "admin", "agent", "auditor"}) {
            assertThat(Api.as(user).get(TwoReplicas.a(), "/v3/api-docs").status()).as(user).isEqualTo(200);
        }
        Api.Response ui = Api.as("admin").get(TwoReplicas.a(), "/swagger-ui/index.html");
        assertThat(ui.status()).isEqualTo(200);
        assertThat(ui.text()).contains("swagger-ui");
        assertThat(Api.as("admin").get(TwoReplicas.a(), "/swagger-ui.html").status()).isIn(200, 302);
    }
}
