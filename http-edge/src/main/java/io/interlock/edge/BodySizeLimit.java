package io.interlock.edge;

import io.interlock.lifecycle.ProblemType;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Reads every request body in full before anything else sees the request, without holding a
 * worker thread while the client sends it: the body arrives through a non-blocking
 * {@link ReadListener}, is refused with 413 as soon as it crosses the size limit and with 408 if it
 * is not complete by the deadline, and only then does the rest of the chain run, on the buffered
 * copy. With blocking reads every client that dribbles its body holds a thread for as long as it
 * likes, and a few hundred of them starve the pool.
 */
@Order(Ordered.HIGHEST_PRECEDENCE + 10)
public class BodySizeLimit extends OncePerRequestFilter {

    private static final Logger log = LoggerFactory.getLogger(BodySizeLimit.class);
    private static final String BODY = BodySizeLimit.class.getName() + ".body";

    /** A body that grew past the limit, for code that reads a body itself; the problem handler answers 413. */
    public static class TooLarge extends IOException {
        TooLarge(long limit) {
            super("Request body is larger than " + limit + " bytes");
        }
    }

    private final long maxBytes;
    private final Duration deadline;
    private final Problems problems;

    public BodySizeLimit(@Value("${interlock.http.max-body-bytes:65536}") long maxBytes,
                         @Value("${interlock.http.body-deadline:PT10S}") Duration deadline, Problems problems) {
        this.maxBytes = maxBytes;
        this.deadline = deadline;
        this.problems = problems;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (request.getDispatcherType() == DispatcherType.ASYNC) {
            byte[] body = (byte[]) request.getAttribute(BODY);
            if (body == null) {
                chain.doFilter(request, response);
                return;
            }
            request.removeAttribute(BODY);
            // RequestContext ran on the first dispatch only: its correlation id belongs in this one's logs too
            Object correlationId = request.getAttribute(RequestContext.CORRELATION_ID);
            MDC.put("correlationId", correlationId == null ? null : correlationId.toString());
            try {
                chain.doFilter(new Buffered(request, body), response);
            } finally {
                MDC.remove("correlationId");
            }
            return;
        }
        boolean declaredTooLarge = request.getContentLengthLong() > maxBytes;
        boolean hasBody = request.getContentLengthLong() > 0 || request.getHeader("Transfer-Encoding") != null;
        if (!hasBody) {
            chain.doFilter(request, response);
            return;
        }
        if (!request.isAsyncSupported()) {
            // Only outside the running app (a servlet that cannot go async): read as before, blocking.
            byte[] body = declaredTooLarge ? null
                    : request.getInputStream().readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
            if (body == null || body.length > maxBytes) {
                tooLarge(request, response);
                return;
            }
            chain.doFilter(new Buffered(request, body), response);
            return;
        }
        byte[] arrived = declaredTooLarge ? new byte[0] : alreadyArrived(request);
        if (arrived.length == request.getContentLengthLong()) {
            // The whole body came with the headers, as a small request's usually does: no client
            // can be slow about bytes already here, so the request runs on this thread at once.
            chain.doFilter(new Buffered(request, arrived), response);
            return;
        }
        AsyncContext async = request.startAsync(request, response);
        async.setTimeout(deadline.toMillis());
        Reader reader = new Reader(request, response, async);
        reader.body.write(arrived, 0, arrived.length);
        async.addListener(reader);
        // Even a refusal goes through the listener: with one registered, the container drops the unread
        // rest of the body without blocking a thread on it.
        request.getInputStream().setReadListener(reader);
        if (declaredTooLarge) {
            reader.refuseTooLarge();
        }
    }

    /**
     * The part of a declared-length body the container already holds, read without waiting: a
     * read returns buffered bytes at once, and it stops as soon as nothing more is buffered. A
     * chunked body is left to the non-blocking reader.
     */
    private static byte[] alreadyArrived(HttpServletRequest request) throws IOException {
        long declared = request.getContentLengthLong();
        ByteArrayOutputStream arrived = new ByteArrayOutputStream();
        if (declared <= 0 || request.getHeader("Transfer-Encoding") != null) {
            return arrived.toByteArray();
        }
        ServletInputStream in = request.getInputStream();
        byte[] chunk = new byte[8192];
        while (arrived.size() < declared && in.available() > 0) {
            int n = in.read(chunk, 0, (int) Math.min(chunk.length, declared - arrived.size()));
            if (n < 0) {
                break;
            }
            arrived.write(chunk, 0, n);
        }
        return arrived.toByteArray();
    }

    /**
     * The rest of the chain runs on a second, async dispatch with the body in hand: the container's
     * filter chain for the first dispatch is gone once it returned. The downstream filters, which
     * skip async dispatches, see it as the plain request it is.
     */
    @Override
    protected boolean shouldNotFilterAsyncDispatch() {
        return false;
    }

    private void tooLarge(HttpServletRequest request, HttpServletResponse response) throws IOException {
        problems.write(request, response, ProblemType.PAYLOAD_TOO_LARGE,
                "Request body is larger than " + maxBytes + " bytes", Map.of("maxBytes", maxBytes));
    }

    /** Collects one body as it arrives; exactly one of run, 413, 408 or give-up happens. */
    private final class Reader implements ReadListener, AsyncListener {
        private static final int READING = 0;
        private static final int DONE = 1;

        private final HttpServletRequest request;
        private final HttpServletResponse response;
        private final AsyncContext async;
        private final ByteArrayOutputStream body = new ByteArrayOutputStream();
        private final byte[] buffer = new byte[8192];
        private final AtomicInteger state = new AtomicInteger(READING);

        Reader(HttpServletRequest request, HttpServletResponse response, AsyncContext async) {
            this.request = request;
            this.response = response;
            this.async = async;
        }

        @Override
        public void onDataAvailable() throws IOException {
            ServletInputStream in = request.getInputStream();
            while (state.get() == READING && in.isReady()) {
                int n = in.read(buffer);
                if (n < 0) {
                    return;
                }
                if (body.size() + n > maxBytes) {
                    refuseTooLarge();
                    return;
                }
                body.write(buffer, 0, n);
            }
        }

        void refuseTooLarge() {
            if (state.compareAndSet(READING, DONE)) {
                answer(() -> tooLarge(request, response));
            }
        }

        @Override
        public void onAllDataRead() {
            if (!state.compareAndSet(READING, DONE)) {
                return;
            }
            request.setAttribute(BODY, body.toByteArray());
            // let this filter run again on the dispatch, to hand the body on
            request.removeAttribute(getAlreadyFilteredAttributeName());
            async.dispatch();
        }

        @Override
        public void onTimeout(AsyncEvent event) {
            if (state.compareAndSet(READING, DONE)) {
                answer(() -> {
                    response.setHeader("Connection", "close");
                    problems.write(request, response, ProblemType.REQUEST_TIMEOUT,
                            "The request body did not arrive within " + deadline.toSeconds() + " s",
                            Map.of("deadlineSeconds", deadline.toSeconds()));
                });
            }
        }

        @Override
        public void onError(Throwable t) {
            // The client broke the framing mid-body (a bad chunk size), or went away: answer the
            // first, and a client that is gone only makes the answer fail quietly.
            if (state.compareAndSet(READING, DONE)) {
                answer(() -> {
                    response.setHeader("Connection", "close");
                    problems.write(request, response, ProblemType.VALIDATION, "The request body could not be read",
                            Map.of("errors", List.of(Map.of("field", "body", "message", "broken framing"))));
                });
            }
        }

        @Override
        public void onError(AsyncEvent event) {
            onError(event.getThrowable());
        }

        @Override
        public void onComplete(AsyncEvent event) {
        }

        @Override
        public void onStartAsync(AsyncEvent event) {
        }

        private void answer(Body write) {
            try {
                write.run();
            } catch (IOException e) {
                log.debug("Could not answer a refused body", e);
            }
            complete();
        }

        private void complete() {
            try {
                async.complete();
            } catch (IllegalStateException alreadyOver) {
                // the container finished the request first (the connection broke)
            }
        }
    }

    @FunctionalInterface
    private interface Body {
        void run() throws IOException;
    }

    /** The request with its body already read, so that any filter and the controller can read it again. */
    static final class Buffered extends HttpServletRequestWrapper {
        private final byte[] body;

        Buffered(HttpServletRequest request, byte[] body) {
            super(request);
            this.body = body;
        }

        /** Filters that skip async dispatches (authentication among them) must see this one as the request. */
        @Override
        public DispatcherType getDispatcherType() {
            DispatcherType type = super.getDispatcherType();
            return type == DispatcherType.ASYNC ? DispatcherType.REQUEST : type;
        }

        @Override
        public ServletInputStream getInputStream() {
            ByteArrayInputStream in = new ByteArrayInputStream(body);
            return new ServletInputStream() {
                @Override
                public int read() {
                    return in.read();
                }

                @Override
                public int read(byte[] b, int off, int len) {
                    return in.read(b, off, len);
                }

                @Override
                public boolean isFinished() {
                    return in.available() == 0;
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setReadListener(ReadListener listener) {
                    throw new UnsupportedOperationException("the body is already read");
                }
            };
        }

        @Override
        public BufferedReader getReader() {
            return new BufferedReader(new InputStreamReader(getInputStream(),
                    getCharacterEncoding() == null ? StandardCharsets.UTF_8
                            : java.nio.charset.Charset.forName(getCharacterEncoding())));
        }

        @Override
        public int getContentLength() {
            return body.length;
        }

        @Override
        public long getContentLengthLong() {
            return body.length;
        }
    }
}
