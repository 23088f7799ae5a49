package io.interlock.query.web;

import io.interlock.lifecycle.ProblemType;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.io.IOException;
import java.util.Map;

/**
 * The container's error dispatch ({@code /error}): what Tomcat or a filter refused or failed on
 * before Spring MVC could answer. It replaces Boot's error controller, whose body was plain JSON
 * in a vocabulary of its own, with the problem the status stands for.
 */
@RestController
public class QueryErrorController implements ErrorController {

    private static final Logger log = LoggerFactory.getLogger(QueryErrorController.class);

    private final QueryProblems problems;

    public QueryErrorController(QueryProblems problems) {
        this.problems = problems;
    }

    @RequestMapping("/error")
    public void error(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        if (code == null) {
            // asked for directly, not through the container's error dispatch: there is no such endpoint
            problems.write(request, response, ProblemType.NOT_FOUND, "No such endpoint", Map.of());
            return;
        }
        int status = code instanceof Integer given && given >= 400 ? given : 500;
        ProblemType type = ProblemType.forStatus(status);
        Throwable failure = (Throwable) request.getAttribute(RequestDispatcher.ERROR_EXCEPTION);
        if (status >= 500) {
            log.error("Unexpected failure {}", RequestContext.correlationId(request), failure);
        }
        if (response.isCommitted()) {
            return;
        }
        response.resetBuffer();
        problems.write(request, response, type, type.status() == status ? type.title() : "HTTP status " + status,
                type.status() == status ? Map.of() : Map.of("status", status));
        // forStatus has no type for every status (414, say): the status itself is never changed
        response.setStatus(status);
    }
}
