package io.interlock.edge;

import io.interlock.lifecycle.ProblemType;
import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.catalina.Host;
import org.apache.catalina.Valve;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.valves.ErrorReportValve;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.http.ResponseEntity;
import org.springframework.security.web.firewall.RequestRejectedHandler;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;
import java.util.Map;

/**
 * Errors decided outside the controllers get the same problem bodies as the rest: the servlet
 * container's error dispatch ({@code /error}), Spring Security's firewall, and Tomcat itself for
 * what never reaches the application ({@link ProblemReportValve}). Without these a client got
 * Tomcat's HTML page or Spring Boot's own JSON shape.
 */
@Hidden // the container's error page, not an endpoint of the API
@RestController
public class ErrorAnswers implements ErrorController {

    private static final Logger log = LoggerFactory.getLogger(ErrorAnswers.class);

    private final Problems problems;

    public ErrorAnswers(Problems problems) {
        this.problems = problems;
    }

    /** The container's error dispatch: a {@code sendError} or an exception thrown by a filter. */
    @RequestMapping("/error")
    ResponseEntity<Object> error(HttpServletRequest request, HttpServletResponse response) {
        if (!(request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE) instanceof Integer code)) {
            // asked for directly: there is no such endpoint
            return problems.entity(request, ProblemType.NOT_FOUND, "No such endpoint", Map.of());
        }
        int status = code >= 400 ? code : 500;
        ProblemType type = ProblemType.forStatus(status);
        if (status >= 500) {
            log.error("Unexpected failure outside the controllers ({})", RequestContext.correlationId(request),
                    (Throwable) request.getAttribute(RequestDispatcher.ERROR_EXCEPTION));
        }
        if (response.isCommitted()) {
            return null; // part of an answer is out already: nothing can be added to it
        }
        response.resetBuffer();
        String detail = type == ProblemType.INTERNAL ? "Unexpected failure; quote the correlation id when reporting it"
                : type.status() == status ? type.title() : "HTTP status " + status;
        // forStatus has no type for every status (414, say): the status itself is never changed
        return ResponseEntity.status(status).contentType(Problems.PROBLEM_JSON).body(problems.body(request, type,
                detail, type.status() == status ? Map.of() : Map.of("status", status)));
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
    static ProblemReports problemReports() {
        return new ProblemReports();
    }

    /**
     * Puts {@link ProblemReportValve} on the host in place of any error report valve there (Boot
     * adds a plain one when stack traces are never shown); ordered last, so that Boot's valve is
     * there to be replaced.
     */
    static final class ProblemReports implements WebServerFactoryCustomizer<TomcatServletWebServerFactory>, Ordered {
        @Override
        public void customize(TomcatServletWebServerFactory factory) {
            factory.addContextCustomizers(context -> {
                Host host = (Host) context.getParent();
                for (Valve valve : host.getPipeline().getValves()) {
                    if (valve instanceof ErrorReportValve) {
                        host.getPipeline().removeValve(valve);
                    }
                }
                host.getPipeline().addValve(new ProblemReportValve());
                if (host instanceof StandardHost standard) {
                    standard.setErrorReportValveClass(ProblemReportValve.class.getName());
                }
            });
        }

        @Override
        public int getOrder() {
            return Ordered.LOWEST_PRECEDENCE;
        }
    }
}
