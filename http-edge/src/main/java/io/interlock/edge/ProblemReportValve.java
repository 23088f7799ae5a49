package io.interlock.edge;

import io.interlock.lifecycle.ProblemType;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Tomcat's own error page, for requests it refuses before the application sees them (an
 * undecodable URI, oversized headers): a problem instead of Tomcat's HTML. It runs outside Spring,
 * so it builds the body itself, and gives the request a correlation id unless it had one already.
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
        String correlationId = RequestContext.correlationId(request);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", type.uri());
        body.put("title", type.title());
        body.put("status", status);
        body.put("detail", status == 400 ? "The request could not be read: check the URI's percent-encoding"
                + " and the size of the headers" : type.status() == status ? type.title() : "HTTP status " + status);
        body.put("correlationId", correlationId);
        try {
            response.setHeader(RequestContext.CORRELATION_HEADER, correlationId);
            response.setContentType(Problems.PROBLEM_JSON.toString());
            response.setCharacterEncoding(StandardCharsets.UTF_8.name());
            response.getOutputStream().write(JSON.writeValueAsBytes(body));
            response.finishResponse();
        } catch (IOException | RuntimeException gone) {
            // the client is gone already, or the connection is unusable: there is no one left to answer
        }
    }
}
