package io.interlock.query.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.MDC;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Gives every request a correlation id before anything else runs (security included), so that
 * every answer carries it in {@code X-Correlation-Id} and every problem in {@code correlationId},
 * as on the command side. A client's own id is kept when it is a plain token, so one id can
 * follow a request across both apps; anything else is replaced, never echoed.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
public class RequestContext extends OncePerRequestFilter {

    public static final String CORRELATION_ID = "interlock.correlationId";
    public static final String CORRELATION_HEADER = "X-Correlation-Id";
    private static final Pattern SAFE_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String correlationId = correlationId(request);
        response.setHeader(CORRELATION_HEADER, correlationId);
        MDC.put("correlationId", correlationId);
        try {
            chain.doFilter(request, response);
        } finally {
            MDC.remove("correlationId");
        }
    }

    /** The request's correlation id, made on first use (an error dispatch keeps the original's). */
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
