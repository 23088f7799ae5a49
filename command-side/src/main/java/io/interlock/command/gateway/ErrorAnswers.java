package io.interlock.command.gateway;

import io.interlock.lifecycle.ProblemType;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.valves.ErrorReportValve;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.context.annotation.Bean;
import org.springframework.http.ResponseEntity;
import org.springframework.security.web.firewall.RequestRejectedHandler;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Errors decided outside the controllers get the same problem bodies as the rest: the servlet
 * container's error dispatch ({@code /error}), Spring Security's firewall, and Tomcat itself for
 * what never reaches the application (an undecodable URI, oversized headers). Without these a
 * client got Tomcat's HTML page or Spring Boot's own JSON shape.
 */
@RestController
public class ErrorAnswers implements ErrorController {

    private static final Logger log = LoggerFactory.getLogger(ErrorAnswers.class);

    private final Problems problems;

    public ErrorAnswers(Problems problems) {
        this.problems = problems;
    }

    /** The container's error dispatch: a {@code sendError} or an exception thrown by a filter. */
    @RequestMapping("/error")
    ResponseEntity<Object> error(HttpServletRequest request) {
        Object status = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        if (!(status instanceof Integer code)) {
            // asked for directly: there is no such endpoint
            return problems.entity(request, ProblemType.NOT_FOUND, "No such endpoint", Map.of());
        }
        ProblemType type = ProblemType.forStatus(code);
        if (type == ProblemType.INTERNAL) {
            log.error("Unexpected failure outside the controllers",
                    (Throwable) request.getAttribute(RequestDispatcher.ERROR_EXCEPTION));
            return problems.entity(request, type, "Unexpected failure; quote the correlation id when reporting it",
                    Map.of());
        }
        return ResponseEntity.status(code).contentType(Problems.PROBLEM_JSON)
                .body(problems.body(request, type, null, Map.of()));
    }

    /** The firewall's refusals ({@code //}, {@code %2e}, {@code ;}, ...) are bad requests, not failures. */
    @Bean
    static RequestRejectedHandler problemForRejectedRequests(Problems problems) {
        return (request, response, rejected) -> {
            log.debug("Refused by the firewall: {}", rejected.getMessage());
            problems.write(request, response, ProblemType.VALIDATION, "This request URL is not accepted",
                    Map.of("errors", List.of(Map.of("field", "path", "message", rejected.getMessage()))));
        };
    }

    @Bean
    static WebServerFactoryCustomizer<TomcatServletWebServerFactory> problemReportValve() {
        return factory -> factory.addContextCustomizers(context -> {
            if (context.getParent() instanceof StandardHost host) {
                host.setErrorReportValveClass(ProblemReportValve.class.getName());
            }
        });
    }

    /**
     * Tomcat's own error page, for requests it refuses before the application sees them. It runs
     * outside Spring, so it builds the problem body itself and gives the request a correlation id.
     */
    public static class ProblemReportValve extends ErrorReportValve {

        private static final JsonMapper JSON = JsonMapper.builder().build();

        @Override
        protected void report(Request request, Response response, Throwable throwable) {
            int status = response.getStatus();
            if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
                return;
            }
            ProblemType type = ProblemType.forStatus(status);
            Object correlationId = request.getAttribute(RequestContext.CORRELATION_ID);
            if (correlationId == null) {
                correlationId = UUID.randomUUID().toString();
                response.setHeader(RequestContext.CORRELATION_HEADER, correlationId.toString());
            }
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("type", type.uri());
            body.put("title", type.title());
            body.put("status", status);
            body.put("detail", status == 400 ? "The request could not be read: check the URI's percent-encoding"
                    + " and the size of the headers" : type.title());
            body.put("correlationId", correlationId);
            try {
                response.setContentType(Problems.PROBLEM_JSON.toString());
                response.setCharacterEncoding(StandardCharsets.UTF_8.name());
                byte[] bytes = JSON.writeValueAsBytes(body);
                response.getOutputStream().write(bytes);
                response.finishResponse();
            } catch (IOException | RuntimeException gone) {
                // the client is gone already; there is no one left to answer
            }
        }
    }
}
