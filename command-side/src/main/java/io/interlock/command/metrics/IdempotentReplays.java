package io.interlock.command.metrics;

import io.interlock.command.gateway.Idempotency;
import io.micrometer.core.instrument.Counter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;

/**
 * Counts the answers replayed for a repeated idempotency key: the gateway marks each with
 * {@code Idempotency-Replayed: true}. Also on the second dispatch of a request whose body was
 * read without a thread, where its answer is decided.
 */
final class IdempotentReplays extends OncePerRequestFilter {

    static final String REPLAYS = "interlock.idempotency.replays";

    private final Counter replays;

    IdempotentReplays(Counter replays) {
        this.replays = replays;
    }

    @Override
    protected boolean shouldNotFilterAsyncDispatch() {
        return false;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        chain.doFilter(request, response);
        if (!request.isAsyncStarted() && "true".equals(response.getHeader(Idempotency.REPLAYED))) {
            replays.increment();
        }
    }
}
