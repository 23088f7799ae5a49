package io.interlock.command.support;

import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Checks an app's OpenAPI document against what Spring MVC really maps, so the two cannot drift:
 * every handler method (but springdoc's own and the container's error page) must be in the
 * document under its path and HTTP method, with the problem responses and the Basic scheme.
 */
public final class ApiDocsCoverage {

    private ApiDocsCoverage() {
    }

    /** Every mapped endpoint as "METHOD /path", as the document should list it. */
    public static List<String> mapped(RequestMappingHandlerMapping mapping) {
        List<String> endpoints = new ArrayList<>();
        for (Map.Entry<RequestMappingInfo, HandlerMethod> entry : mapping.getHandlerMethods().entrySet()) {
            HandlerMethod handler = entry.getValue();
            if (handler.getBeanType().getPackageName().startsWith("org.springdoc")) {
                continue;
            }
            Set<String> paths = entry.getKey().getPatternValues();
            if (paths.equals(Set.of("/error"))) {
                continue;
            }
            Set<RequestMethod> methods = entry.getKey().getMethodsCondition().getMethods();
            for (String path : paths) {
                for (RequestMethod method : methods.isEmpty() ? Set.of(RequestMethod.GET) : methods) {
                    endpoints.add(method + " " + path);
                }
            }
        }
        return endpoints;
    }

    public static void assertDocumented(RequestMappingHandlerMapping mapping, JsonNode document, int minimum) {
        List<String> endpoints = mapped(mapping);
        assertThat(endpoints).hasSizeGreaterThanOrEqualTo(minimum);
        List<String> missing = new ArrayList<>();
        for (String endpoint : endpoints) {
            String method = endpoint.substring(0, endpoint.indexOf(' ')).toLowerCase();
            String path = endpoint.substring(endpoint.indexOf(' ') + 1);
            JsonNode operation = document.path("paths").path(path).path(method);
            if (operation.isMissingNode()) {
                missing.add(endpoint);
                continue;
            }
            assertThat(operation.path("responses").has("401")).as(endpoint + " documents 401").isTrue();
            assertThat(operation.path("responses").path("400").path("content").has("application/problem+json"))
                    .as(endpoint + " documents its problems").isTrue();
        }
        assertThat(missing).as("mapped endpoints missing from the OpenAPI document").isEmpty();
        assertThat(document.path("components").path("securitySchemes").path("basic").path("scheme").asString())
                .isEqualTo("basic");
        assertThat(document.path("security").toString()).contains("basic");
    }
}
