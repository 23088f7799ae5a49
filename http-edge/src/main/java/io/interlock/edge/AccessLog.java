package io.interlock.edge;

import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.web.context.RequestAttributeSecurityContextRepository;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;

/**
 * One line per request on the logger {@value #LOGGER}, written when the answer is complete: method,
 * path, status, time taken, who asked, and the correlation and trace ids that the request's events
 * and problem bodies carry, so a line leads to the audit trail and back. A streamed answer or a body
 * read without a thread completes after the first dispatch returns; its line waits for that.
 *
 * <p>The logger is a name of its own, outside {@code io.interlock}, so that turning it off
 * ({@code logging.level.interlock.access=WARN}) costs a request one level check.
 */
@Order(Ordered.HIGHEST_PRECEDENCE + 1)
public class AccessLog extends OncePerRequestFilter {

    public static final String LOGGER = "interlock.access";
    private static final Logger log = LoggerFactory.getLogger(LOGGER);
    private static final String LOGGED = AccessLog.class.getName() + ".logged";
    private static final int MAX_TARGET = 512;

    /** A request Tomcat refused before any filter ran reaches the application only on its error dispatch. */
    @Override
    protected boolean shouldNotFilterErrorDispatch() {
        return false;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (!log.isInfoEnabled() || request.getAttribute(LOGGED) != null) {
            chain.doFilter(request, response);
            return;
        }
        request.setAttribute(LOGGED, Boolean.TRUE);
        long started = System.nanoTime();
        try {
            chain.doFilter(request, response);
        } finally {
            if (request.isAsyncStarted()) {
                request.getAsyncContext().addListener(new WhenComplete(started));
            } else {
                write(request, response, started);
            }
        }
    }

    private static void write(HttpServletRequest request, HttpServletResponse response, long started) {
        String query = request.getQueryString();
        String target = query == null ? request.getRequestURI() : request.getRequestURI() + "?" + query;
        if (target.length() > MAX_TARGET) {
            target = target.substring(0, MAX_TARGET) + "...";
        }
        log.info("{} {} {} {}ms principal={} correlationId={} traceId={} client={}",
                request.getMethod(), target, response.getStatus(), (System.nanoTime() - started) / 1_000_000,
                principal(request), RequestContext.correlationId(request),
                request.getAttribute(RequestContext.TRACE_ID), request.getRemoteAddr());
    }

    /**
     * Spring Security keeps the request's authentication in a request attribute as well as on the
     * thread; the thread's copy is cleared before this filter's work resumes, the attribute's is not.
     */
    private static String principal(HttpServletRequest request) {
        Object context = request.getAttribute(RequestAttributeSecurityContextRepository.DEFAULT_REQUEST_ATTR_NAME);
        Authentication auth = context instanceof SecurityContext security ? security.getAuthentication() : null;
        return auth == null || !auth.isAuthenticated() ? "-" : auth.getName();
    }

    private static final class WhenComplete implements AsyncListener {
        private final long started;

        WhenComplete(long started) {
            this.started = started;
        }

        @Override
        public void onComplete(AsyncEvent event) {
            write((HttpServletRequest) event.getSuppliedRequest(), (HttpServletResponse) event.getSuppliedResponse(),
                    started);
        }

        @Override
        public void onTimeout(AsyncEvent event) {
        }

        @Override
        public void onError(AsyncEvent event) {
        }

        /** A second asynchronous cycle (a dispatch that starts one again) gets the listener anew. */
        @Override
        public void onStartAsync(AsyncEvent event) {
            event.getAsyncContext().addListener(this);
        }
    }
}
