package io.interlock.command.support;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Clients that hold connections by sending their request a little at a time, as a slow-loris attack
 * does: raw non-blocking sockets to 127.0.0.1, all driven by one thread that sends each client its
 * next byte (or chunk) every tick and notes when the server answers or hangs up.
 */
public final class SlowClients implements AutoCloseable {

    /** How a client dawdles. */
    public enum Kind {
        /** Headers at once, then a declared-length body one byte per tick. */
        SLOW_BODY,
        /** Headers at once, then a chunked body of one-byte chunks, one per tick. */
        SLOW_CHUNKED_BODY,
        /** The request line and headers themselves, one byte per tick. */
        SLOW_HEADERS
    }

    /** One dawdling client and what the server did to it. */
    public static final class Client {
        public final Kind kind;
        private final SocketChannel channel;
        private final List<byte[]> pieces;
        private int next;
        private final StringBuilder answer = new StringBuilder();
        private volatile boolean cutOff;
        private volatile long cutOffAtNanos;

        private Client(Kind kind, SocketChannel channel, List<byte[]> pieces) {
            this.kind = kind;
            this.channel = channel;
            this.pieces = pieces;
        }

        public boolean cutOff() {
            return cutOff;
        }

        public boolean sentEverything() {
            return next >= pieces.size();
        }

        /** What the server sent back, if anything, before it closed the connection. */
        public synchronized String answer() {
            return answer.toString();
        }

        public long cutOffAtNanos() {
            return cutOffAtNanos;
        }
    }

    private final List<Client> clients = new ArrayList<>();
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "slow-clients");
        t.setDaemon(true);
        return t;
    });
    private final ByteBuffer readBuffer = ByteBuffer.allocate(16 * 1024);

    private SlowClients() {
    }

    /**
     * Opens the clients against {@code port}, sends each its first piece, and from then on one more
     * piece every {@code tick}.
     */
    public static SlowClients open(int port, List<Request> requests, Duration tick) throws IOException {
        SlowClients slow = new SlowClients();
        try {
            for (Request request : requests) {
                SocketChannel channel = SocketChannel.open();
                channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                channel.connect(new InetSocketAddress("127.0.0.1", port));
                channel.configureBlocking(false);
                slow.clients.add(new Client(request.kind(), channel, request.pieces()));
            }
        } catch (IOException | RuntimeException e) {
            slow.close();
            throw e;
        }
        slow.tick();
        slow.ticker.scheduleAtFixedRate(slow::tick, tick.toMillis(), tick.toMillis(), TimeUnit.MILLISECONDS);
        return slow;
    }

    /** A request as a slow client sends it: the pieces in the order they go out, one per tick. */
    public record Request(Kind kind, List<byte[]> pieces) {

        /** {@code method path} with a JSON body, sent as {@code kind} says, optionally as {@code user}. */
        public static Request of(Kind kind, String method, String path, String user, String json) {
            byte[] body = json.getBytes(StandardCharsets.UTF_8);
            StringBuilder head = new StringBuilder(method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Content-Type: application/json\r\n");
            if (user != null) {
                head.append("Authorization: Basic ").append(Base64.getEncoder().encodeToString(
                        (user + ":" + Api.PASSWORDS.get(user)).getBytes(StandardCharsets.UTF_8))).append("\r\n");
            }
            List<byte[]> pieces = new ArrayList<>();
            switch (kind) {
                case SLOW_BODY -> {
                    head.append("Content-Length: ").append(body.length).append("\r\n\r\n");
                    pieces.add(head.toString().getBytes(StandardCharsets.US_ASCII));
                    for (byte b : body) {
                        pieces.add(new byte[] {b});
                    }
                }
                case SLOW_CHUNKED_BODY -> {
                    head.append("Transfer-Encoding: chunked\r\n\r\n");
                    pieces.add(head.toString().getBytes(StandardCharsets.US_ASCII));
                    for (byte b : body) {
                        pieces.add(new byte[] {'1', '\r', '\n', b, '\r', '\n'});
                    }
                    pieces.add("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                }
                case SLOW_HEADERS -> {
                    head.append("Content-Length: ").append(body.length).append("\r\n\r\n");
                    byte[] all = (head + json).getBytes(StandardCharsets.UTF_8);
                    for (byte b : all) {
                        pieces.add(new byte[] {b});
                    }
                }
            }
            return new Request(kind, pieces);
        }
    }

    /**
     * {@code count} slow creates of an instance ({@code slow-<n>}): one in five with slow headers,
     * one in five with a slow chunked body, the rest with a slow declared body; every other one
     * with alice's credentials, the others with none.
     */
    public static List<Request> slowCreates(int count) {
        List<Request> requests = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Kind kind = i % 5 == 4 ? Kind.SLOW_HEADERS : i % 5 == 3 ? Kind.SLOW_CHUNKED_BODY : Kind.SLOW_BODY;
            String user = i % 2 == 0 ? "alice" : null;
            requests.add(Request.of(kind, "POST", "/v1/instances", user,
                    "{\"id\":\"slow-" + i + "\",\"name\":\"slow\",\"flavor\":\"m1.small\"}"));
        }
        return requests;
    }

    public List<Client> clients() {
        return clients;
    }

    public long connected() {
        return clients.stream().filter(c -> !c.cutOff()).count();
    }

    /**
     * Waits until every client is cut off, at most until 6 s past {@code deadline} from
     * {@code startNanos}, and checks that each was cut off only after the deadline, before it had
     * sent its whole request, and that a slow body was answered (if at all) 408 as a problem.
     */
    public void assertAllCutOffAfter(long startNanos, Duration deadline) throws InterruptedException {
        long cutOffBy = startNanos + deadline.plusSeconds(6).toNanos();
        while (connected() > 0 && System.nanoTime() < cutOffBy) {
            Thread.sleep(200);
        }
        assertThat(connected()).as("slow clients still connected after the deadline").isZero();
        for (Client client : clients) {
            assertThat(client.sentEverything()).as(client.kind + " sent its whole request").isFalse();
            assertThat(client.cutOffAtNanos() - startNanos).as(client.kind + " cut off after the deadline")
                    .isGreaterThan(deadline.minusSeconds(1).toNanos());
            String answer = client.answer();
            if (client.kind != Kind.SLOW_HEADERS && !answer.isEmpty()) {
                assertThat(answer).startsWith("HTTP/1.1 408").contains("application/problem+json")
                        .contains("request-timeout");
            }
        }
    }

    /** Sends an ordinary request and fails the test if its answer takes longer than {@code prompt}. */
    public static HttpResponse<String> answeredWithin(Duration prompt, HttpClient http, HttpRequest request)
            throws IOException, InterruptedException {
        long before = System.nanoTime();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(Duration.ofNanos(System.nanoTime() - before)).as(request.uri().toString()).isLessThan(prompt);
        return response;
    }

    private synchronized void tick() {
        for (Client client : clients) {
            if (client.cutOff) {
                continue;
            }
            try {
                readWhatArrived(client);
                if (!client.cutOff && client.next < client.pieces.size()) {
                    client.channel.write(ByteBuffer.wrap(client.pieces.get(client.next++)));
                }
            } catch (IOException e) {
                cutOff(client);
            }
        }
    }

    private void readWhatArrived(Client client) throws IOException {
        while (true) {
            readBuffer.clear();
            int n = client.channel.read(readBuffer);
            if (n < 0) {
                cutOff(client);
                return;
            }
            if (n == 0) {
                return;
            }
            synchronized (client) {
                client.answer.append(new String(readBuffer.array(), 0, n, StandardCharsets.ISO_8859_1));
            }
        }
    }

    private static void cutOff(Client client) {
        client.cutOff = true;
        client.cutOffAtNanos = System.nanoTime();
        try {
            client.channel.close();
        } catch (IOException ignored) {
            // closing is all that is left to do
        }
    }

    @Override
    public synchronized void close() {
        ticker.shutdownNow();
        for (Client client : clients) {
            try {
                client.channel.close();
            } catch (IOException ignored) {
                // best effort: the test is over
            }
        }
    }
}
