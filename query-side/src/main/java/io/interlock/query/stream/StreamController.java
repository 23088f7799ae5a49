package io.interlock.query.stream;

import io.interlock.lifecycle.TenantIds;
import io.interlock.query.access.Reader;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

import java.io.IOException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Server-sent events of read-model changes, for live dashboards; members see their tenant only,
 * plus the resources that have no tenant.
 */
@RestController
public class StreamController {

    private static final long TIMEOUT = Duration.ofMinutes(30).toMillis();

    private final ChangeFeed feed;
    private final Set<SseEmitter> open = ConcurrentHashMap.newKeySet();

    public StreamController(ChangeFeed feed) {
        this.feed = feed;
    }

    /**
     * Ends every stream as soon as shutdown begins: a graceful shutdown would otherwise wait for
     * these never-ending requests, and clients reconnect to another instance anyway.
     */
    @EventListener(ContextClosedEvent.class)
    public void closeStreams() {
        open.forEach(SseEmitter::complete);
        open.clear();
    }

    @GetMapping(path = "/v1/stream", produces = "text/event-stream")
    public SseEmitter stream() throws IOException {
        Reader reader = Reader.current();
        SseEmitter emitter = new SseEmitter(TIMEOUT);
        Runnable unsubscribe = feed.subscribe(change -> {
            // a change without a tenant is shared infrastructure (volumes, replacements): every reader's
            if (change.tenant() != null && !reader.sees(change.tenant())) {
                return;
            }
            try {
                emitter.send(SseEmitter.event().name("change").id(change.type() + "/" + TenantIds.bare(change.id()) + "/"
                        + change.version()).data(change));
            } catch (IOException | IllegalStateException gone) {
                emitter.completeWithError(gone);
            }
        });
        open.add(emitter);
        Runnable forget = () -> {
            unsubscribe.run();
            open.remove(emitter);
        };
        emitter.onCompletion(forget);
        // a stream that reaches its timeout ends cleanly; the client reconnects
        emitter.onTimeout(() -> {
            forget.run();
            emitter.complete();
        });
        emitter.onError(e -> forget.run());
        // Tells the client it is subscribed: every change from now on will reach it.
        emitter.send(SseEmitter.event().name("ready").data("subscribed"));
        return emitter;
    }
}
