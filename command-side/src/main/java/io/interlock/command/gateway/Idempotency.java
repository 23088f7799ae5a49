package io.interlock.command.gateway;

import io.interlock.edge.BodySizeLimit;
import io.interlock.edge.Problems;
import io.interlock.lifecycle.ProblemType;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.ContentCachingResponseWrapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@code Idempotency-Key} on any mutating request: the first request runs and its
 * answer is kept; the same key with the same request replays that answer without a second effect;
 * the same key with a different request is 422; a duplicate that arrives while the first still
 * runs waits briefly, then gets 409 {@code request-in-progress}. Runs after authentication, because
 * keys belong to the caller.
 */
@Component
@Order(0)
public class Idempotency extends OncePerRequestFilter {

    public static final String HEADER = "Idempotency-Key";
    public static final String REPLAYED = "Idempotency-Replayed";
    private static final Set<String> MUTATING = Set.of("POST", "PUT", "PATCH", "DELETE");
    private static final Pattern VALID_KEY = Pattern.compile("[\\x21-\\x7E]{1,255}");
    private static final Duration POLL = Duration.ofMillis(50);

    private final IdempotencyStore store;
    private final Problems problems;
    private final Duration inProgressWait;
    private final Duration inProgressLease;

    public Idempotency(IdempotencyStore store, Problems problems,
                       @Value("${interlock.idempotency.in-progress-wait:PT2S}") Duration inProgressWait,
                       @Value("${interlock.idempotency.in-progress-lease:PT1M}") Duration inProgressLease) {
        this.store = store;
        this.problems = problems;
        this.inProgressWait = inProgressWait;
        this.inProgressLease = inProgressLease;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !MUTATING.contains(request.getMethod()) || request.getHeader(HEADER) == null;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String key = request.getHeader(HEADER);
        if (!VALID_KEY.matcher(key).matches()) {
            problems.write(request, response, ProblemType.VALIDATION,
                    "Idempotency-Key must be 1 to 255 visible ASCII characters", Map.of());
            return;
        }
        String principal = Caller.current().name();
        byte[] body;
        try {
            body = request.getInputStream().readAllBytes();
        } catch (BodySizeLimit.TooLarge e) {
            problems.write(request, response, ProblemType.PAYLOAD_TOO_LARGE, e.getMessage(), Map.of());
            return;
        }
        String fingerprint = fingerprint(request, body);
        Instant giveUp = Instant.now().plus(inProgressWait);
        while (true) {
            store.forgetIfExpired(principal, key);
            store.forgetAbandoned(principal, key, inProgressLease);
            if (store.claim(principal, key, fingerprint)) {
                // BodySizeLimit has buffered the body already: the controller can read it again
                runFirst(request, response, chain, principal, key);
                return;
            }
            Optional<IdempotencyStore.Entry> existing = store.find(principal, key);
            if (existing.isEmpty()) {
                continue; // the first attempt failed and let go of the key: run this one
            }
            IdempotencyStore.Entry entry = existing.get();
            if (!entry.fingerprint().equals(fingerprint)) {
                problems.write(request, response, ProblemType.IDEMPOTENCY_KEY_REUSE,
                        "This Idempotency-Key was used for a different request", Map.of());
                return;
            }
            if (entry.status() == IdempotencyStore.Status.DONE) {
                replay(entry, response);
                return;
            }
            if (Instant.now().isAfter(giveUp)) {
                problems.write(request, response, ProblemType.REQUEST_IN_PROGRESS,
                        "The first request with this Idempotency-Key is still running", Map.of("retryable", true));
                return;
            }
            pause();
        }
    }

    private void runFirst(HttpServletRequest request, HttpServletResponse response, FilterChain chain,
                          String principal, String key) throws IOException, ServletException {
        ContentCachingResponseWrapper captured = new ContentCachingResponseWrapper(response);
        boolean kept = false;
        try {
            chain.doFilter(request, captured);
            int status = captured.getStatus();
            if (keeps(request, status)) {
                store.complete(principal, key, status, captured.getHeader("ETag"), captured.getContentType(),
                        captured.getContentAsByteArray());
                kept = true;
            }
        } finally {
            if (!kept) {
                store.release(principal, key);
            }
            captured.copyBodyToResponse();
        }
    }

    /**
     * Only an answer that reflects a command is kept: once a command was sent, the aggregates have
     * decided (2xx, and their 404, 409, 412 and validation refusals), and a retry must replay that
     * decision rather than act again. A request refused before any command was sent (malformed,
     * 413, 415, 404 of no route, 405, a 412 on a create) changed nothing, so its key stays free for
     * the corrected retry. A server failure (5xx) is not an answer either: the retry runs again.
     */
    static boolean keeps(HttpServletRequest request, int status) {
        return status < 500 && request.getAttribute(CommandDispatcher.DISPATCHED) != null;
    }

    private static void replay(IdempotencyStore.Entry entry, HttpServletResponse response) throws IOException {
        response.setStatus(entry.responseStatus());
        if (entry.etag() != null) {
            response.setHeader("ETag", entry.etag());
        }
        if (entry.contentType() != null) {
            response.setContentType(entry.contentType());
        }
        response.setHeader(REPLAYED, "true");
        if (entry.body() != null) {
            response.getOutputStream().write(entry.body());
        }
    }

    private static String fingerprint(HttpServletRequest request, byte[] body) {
        return fingerprint(request.getMethod(), request.getRequestURI(), request.getQueryString(),
                request.getHeader("If-Match"), body);
    }

    /** What makes two requests "the same request": method, target, precondition and body. */
    static String fingerprint(String method, String path, String query, String ifMatch, byte[] body) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update((method + " " + path + "?" + query + "\nIf-Match: " + ifMatch + "\n")
                    .getBytes(StandardCharsets.UTF_8));
            digest.update(body);
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void pause() {
        try {
            Thread.sleep(POLL.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
