package io.interlock.bench;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The benchmark's HTTP client: one blocking keep-alive HTTP/1.1 connection per client thread,
 * writing a request and reading status, headers and a length-delimited or chunked body, nothing
 * else. The JDK's client spends several times the server's CPU per request on its own selector
 * and futures, and on two cores whatever the client burns the server does not get: this one costs
 * a few microseconds, so the HTTP figures measure the service.
 */
final class KeepAliveHttp {

    record Answer(int status, String body) {
    }

    private static final ThreadLocal<KeepAliveHttp> PER_THREAD = new ThreadLocal<>();

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final String host;

    private KeepAliveHttp(int port) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setTcpNoDelay(true);
        socket.setSoTimeout(30_000);
        in = new BufferedInputStream(socket.getInputStream(), 16_384);
        out = socket.getOutputStream();
        host = "127.0.0.1:" + port;
    }

    static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** POSTs {@code json} (or no body) on this thread's connection, opening it if needed. */
    static Answer post(int port, String path, String authorization, String json) throws IOException {
        KeepAliveHttp connection = PER_THREAD.get();
        if (connection == null || connection.socket.isClosed()) {
            connection = new KeepAliveHttp(port);
            PER_THREAD.set(connection);
        }
        try {
            return connection.exchange(path, authorization, json);
        } catch (IOException e) {
            PER_THREAD.remove();
            connection.socket.close();
            throw e;
        }
    }

    private Answer exchange(String path, String authorization, String json) throws IOException {
        byte[] body = json == null ? new byte[0] : json.getBytes(StandardCharsets.UTF_8);
        StringBuilder request = new StringBuilder(256).append("POST ").append(path).append(" HTTP/1.1\r\nHost: ")
                .append(host).append("\r\nAuthorization: ").append(authorization)
                .append("\r\nContent-Length: ").append(body.length).append("\r\n");
        if (json != null) {
            request.append("Content-Type: application/json\r\n");
        }
        request.append("\r\n");
        out.write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
        out.write(body);
        out.flush();

        String statusLine = line();
        int status = Integer.parseInt(statusLine.substring(9, 12));
        int length = -1;
        boolean chunked = false;
        boolean close = false;
        for (String header = line(); !header.isEmpty(); header = line()) {
            String lower = header.toLowerCase();
            if (lower.startsWith("content-length:")) {
                length = Integer.parseInt(lower.substring(15).trim());
            } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                chunked = true;
            } else if (lower.startsWith("connection:") && lower.contains("close")) {
                close = true;
            }
        }
        ByteArrayOutputStream answer = new ByteArrayOutputStream(Math.max(length, 256));
        if (chunked) {
            for (int size = Integer.parseInt(line().trim(), 16); size > 0; size = Integer.parseInt(line().trim(), 16)) {
                answer.write(in.readNBytes(size));
                line();
            }
            line();
        } else if (length > 0) {
            answer.write(in.readNBytes(length));
        }
        if (close) {
            socket.close();
        }
        return new Answer(status, answer.toString(StandardCharsets.UTF_8));
    }

    private String line() throws IOException {
        StringBuilder line = new StringBuilder(64);
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                throw new IOException("connection closed by the server");
            }
            if (c != '\r') {
                line.append((char) c);
            }
        }
        return line.toString();
    }
}
