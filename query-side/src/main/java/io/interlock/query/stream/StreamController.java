package io.interlock.query.stream;

import io.interlock.lifecycle.TenantIds;
import io.interlock.query.access.Reader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

import java.io.IOException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Server-sent events of read-model changes, for live dashboards; members see their tenant only,
 * plus the resources that have no tenant.
 */
@RestController
public class StreamController {

    private static final Logger log = LoggerFactory.getLogger(StreamController.class);
    private static final long TIMEOUT = Duration.ofMinutes(30).toMillis();
    /** Changes a stream may have waiting for a slow client before it is ended (the client reconnects). */
    private static final int BACKLOG = 1000;

    /** Sends to the clients, so that a slow one holds one of these threads and never the projections'. */
    private final ExecutorService senders = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "stream-sender");
        thread.setDaemon(true);
        return thread;
    });

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
        senders.shutdown();
    }

    @GetMapping(path = "/v1/stream", produces = "text/event-stream")
    public SseEmitter stream() throws IOException {
        Reader reader = Reader.current();
        SseEmitter emitter = new SseEmitter(TIMEOUT);
        Outbox outbox = new Outbox(emitter);
        Runnable unsubscribe = feed.subscribe(change -> {
            // a change without a tenant is shared infrastructure (volumes, replacements): every reader's
            if (change.tenant() == null || reader.sees(change.tenant())) {
                outbox.offer(change);
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
        emitter.onError(e -> {
            forget.run();
            log.debug("A stream ended: {}", e.toString());
        });
        // Tells the client it is subscribed: every change from now on will reach it.
        emitter.send(SseEmitter.event().name("ready").data("subscribed"));
        return emitter;
    }

    /**
     * One stream's changes on their way out, in order: the projection thread only queues them, a
     * sender thread writes them. A client that has gone away, or lets its backlog fill up, has its
     * stream ended quietly: a client leaving is no error, and nothing to log above DEBUG.
     */
    private final class Outbox {
        private final SseEmitter emitter;
        private final BlockingQueue<ChangeFeed.Change> queue = new ArrayBlockingQueue<>(BACKLOG);
        private final AtomicBoolean draining = new AtomicBoolean();
        private volatile boolean ended;

        Outbox(SseEmitter emitter) {
            this.emitter = emitter;
        }

        void offer(ChangeFeed.Change change) {
            if (ended) {
                return;
            }
            if (!queue.offer(change)) {
                end("its client fell " + BACKLOG + " changes behind");
                return;
            }
            if (draining.compareAndSet(false, true)) {
                try {
                    senders.execute(this::drain);
                } catch (RejectedExecutionException shuttingDown) {
                    draining.set(false);
                }
            }
        }

        private void drain() {
            try {
                ChangeFeed.Change change;
                while (!ended && (change = queue.poll()) != null) {
                    emitter.send(SseEmitter.event().name("change")
                            .id(change.type() + "/" + TenantIds.bare(change.id()) + "/"
                            + change.version()).data(change));
                }
            } catch (IOException | IllegalStateException gone) {
                end("its client went away (" + gone.getMessage() + ")");
            } finally {
                draining.set(false);
            }
            // a change queued after the last poll but before the flag was cleared
            if (!ended && !queue.isEmpty() && draining.compareAndSet(false, true)) {
                senders.execute(this::drain);
            }
        }

        private void end(String why) {
            if (!ended) {
                ended = true;
                log.debug("Ending a stream: {}", why);
                try {
                    emitter.complete();
                } catch (RuntimeException alreadyEnded) {
                    log.debug("The stream had already ended", alreadyEnded);
                }
            }
        }
    }
}
