package io.interlock.query.web;

import io.interlock.lifecycle.ProblemType;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.Writer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Tomcat's own error answers (a request it could not parse, headers too large, a failure outside
 * the application) as problems rather than Tomcat's HTML page. These requests never reached a
 * filter, so the correlation id is made here, unless the request had one already.
 */
public class ProblemReportValve extends ErrorReportValve {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int status = response.getStatus();
        if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
            return;
        }
        ProblemType type = ProblemType.forStatus(status);
        Object known = request.getAttribute(RequestContext.CORRELATION_ID);
        String correlationId = known != null ? known.toString() : UUID.randomUUID().toString();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", type.uri());
        body.put("title", type.title());
        body.put("status", status);
        body.put("detail", type.status() == status ? type.title() : "HTTP status " + status);
        body.put("correlationId", correlationId);
        try {
            response.setHeader(RequestContext.CORRELATION_HEADER, correlationId);
            response.setContentType("application/problem+json");
            response.setCharacterEncoding("UTF-8");
            Writer writer = response.getReporter();
            if (writer != null) {
                writer.write(JSON.writeValueAsString(body));
                response.finishResponse();
            }
        } catch (IOException | IllegalStateException e) {
            // the connection is already gone or unusable: there is nobody left to tell
        }
    }
}
