package io.interlock.command.gateway;

import io.interlock.command.store.CatchUpCachingRepository;
import io.interlock.edge.RequestContext;

import org.axonframework.commandhandling.CommandExecutionException;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.messaging.MetaData;
import org.axonframework.modelling.command.ConcurrencyException;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Sends a command on behalf of the current HTTP caller. It stamps the audit metadata on it and, when
 * another replica appended to the same aggregate first (the event store's unique key said no), or
 * the command was refused on a cached aggregate another replica had moved past, sends it again:
 * the aggregate is caught up and its rules re-checked, so the caller gets the correct business
 * answer instead of a conflict about storage.
 */
@Component
public class CommandDispatcher {

    public static final String PRINCIPAL = "principal";
    public static final String CORRELATION_ID = "correlationId";
    public static final String TRACE_ID = "traceId";
    public static final String IDEMPOTENCY_KEY = "idempotencyKey";
    public static final String CLIENT_ADDRESS = "clientAddress";

    private final CommandGateway gateway;
    private final int maxAttempts;

    public CommandDispatcher(CommandGateway gateway, @Value("${interlock.commands.max-attempts:10}") int maxAttempts) {
        this.gateway = gateway;
        this.maxAttempts = maxAttempts;
    }

    /**
     * Set on the HTTP request once a command of it was sent: from then on its answer reflects what
     * the aggregates decided, and an idempotency key keeps it (see {@link Idempotency}).
     */
    public static final String DISPATCHED = "interlock.dispatched";

    public <R> R send(Object command) {
        if (RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes attributes) {
            attributes.getRequest().setAttribute(DISPATCHED, Boolean.TRUE);
        }
        var message = GenericCommandMessage.asCommandMessage(command).andMetaData(metadata());
        for (int attempt = 1; ; attempt++) {
            CatchUpCachingRepository.refusedOnStaleState();
            try {
                return gateway.sendAndWait(message);
            } catch (RuntimeException e) {
                if (attempt >= maxAttempts) {
                    throw e;
                }
                if (CatchUpCachingRepository.refusedOnStaleState()) {
                    continue; // the aggregate is caught up now: decide again at once
                }
                if (!lostARace(e)) {
                    throw e;
                }
                backOff(attempt);
            }
        }
    }

    /** The event store's unique key said another writer appended first (or the cache was behind). */
    private static boolean lostARace(RuntimeException e) {
        return e instanceof ConcurrencyException
                || e instanceof CommandExecutionException && e.getCause() instanceof ConcurrencyException;
    }

    /** Jittered, growing pauses so racing replicas stop colliding in lockstep. */
    private static void backOff(int attempt) {
        long ceiling = Math.min(2L << attempt, 100L);
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(1, ceiling + 1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while retrying a command", e);
        }
    }

    private static MetaData metadata() {
        Map<String, Object> meta = new HashMap<>();
        if (RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes attributes) {
            var request = attributes.getRequest();
            put(meta, CORRELATION_ID, request.getAttribute(RequestContext.CORRELATION_ID));
            put(meta, TRACE_ID, request.getAttribute(RequestContext.TRACE_ID));
            put(meta, IDEMPOTENCY_KEY, request.getHeader(Idempotency.HEADER));
            put(meta, CLIENT_ADDRESS, request.getRemoteAddr());
            try {
                put(meta, PRINCIPAL, Caller.current().name());
            } catch (IllegalStateException anonymous) {
                // no caller: nothing to record
            }
        }
        return MetaData.from(meta);
    }

    private static void put(Map<String, Object> meta, String key, Object value) {
        if (value != null) {
            meta.put(key, value.toString());
        }
    }
}
