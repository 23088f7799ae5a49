package io.interlock.edge;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.MDC;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Gives every request a correlation id and a trace id before anything else runs (security
 * included), so that even a 401 or a 500 can be traced, every answer names it in
 * {@code X-Correlation-Id} and every event the request causes carries them. A client's own id is
 * kept when it is a plain token, so one id can follow a request across both apps; anything else is
 * replaced, never echoed.
 */
@Order(Ordered.HIGHEST_PRECEDENCE)
public class RequestContext extends OncePerRequestFilter {

    public static final String CORRELATION_ID = "interlock.correlationId";
    public static final String TRACE_ID = "interlock.traceId";
    public static final String CORRELATION_HEADER = "X-Correlation-Id";
    private static final Pattern SAFE_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
    private static final Pattern TRACEPARENT = Pattern.compile("^[0-9a-f]{2}-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}$");

    /**
     * Also on the container's error dispatch: a request that Tomcat refused before any filter ran
     * (TRACE, say) reaches the application only there, and its problem must carry an id too.
     */
    @Override
    protected boolean shouldNotFilterErrorDispatch() {
        return false;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (request.getAttribute(CORRELATION_ID) != null) {
            chain.doFilter(request, response); // the error dispatch of a request that has its ids
            return;
        }
        String correlationId = correlationId(request);
        String traceparent = request.getHeader("traceparent");
        var trace = traceparent == null ? null : TRACEPARENT.matcher(traceparent);
        String traceId = trace != null && trace.matches() ? trace.group(1) : correlationId;
        request.setAttribute(TRACE_ID, traceId);
        response.setHeader(CORRELATION_HEADER, correlationId);
        MDC.put("correlationId", correlationId);
        try {
            chain.doFilter(request, response);
        } finally {
            MDC.remove("correlationId");
        }
    }

    /**
     * The request's correlation id, made on first use: a problem written for a request that never
     * passed this filter (one Tomcat refused, say) still carries one.
     */
    public static String correlationId(HttpServletRequest request) {
        Object known = request.getAttribute(CORRELATION_ID);
        if (known != null) {
            return known.toString();
        }
        String given = request.getHeader(CORRELATION_HEADER);
        String id = given != null && SAFE_ID.matcher(given).matches() ? given : UUID.randomUUID().toString();
        request.setAttribute(CORRELATION_ID, id);
        return id;
    }
}
