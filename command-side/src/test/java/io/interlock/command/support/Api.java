package io.interlock.command.support;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/** A plain HTTP client for the tests: real requests over loopback, with the demo credentials. */
public final class Api {

    public static final Map<String, String> PASSWORDS = Map.of(
            "admin", "admin-secret", "agent", "agent-secret", "auditor", "auditor-secret",
            "alice", "alice-secret", "bob", "bob-secret");
    /** The demo members' tenants. */
    public static final Map<String, String> TENANTS = Map.of("alice", "acme", "bob", "globex");
    /**
     * HTTP/1.1 pinned: the default (HTTP/2) would try an h2c upgrade on every new connection, which the
     * command side never accepts. Connections are kept alive and pooled, so the benchmark measures the
     * service, not TCP handshakes.
     */
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private static final JsonMapper JSON = JsonMapper.builder().build();

    public record Response(int status, Map<String, String> headers, String text) {
        public JsonNode json() {
            return text == null || text.isBlank() ? JSON.createObjectNode() : JSON.readTree(text);
        }

        public String field(String name) {
            JsonNode node = json().get(name);
            return node == null || node.isNull() ? null : node.asString();
        }

        public String header(String name) {
            return headers.get(name.toLowerCase());
        }

        @Override
        public String toString() {
            return status + (problemType() == null ? "" : " " + problemType());
        }

        public String problemType() {
            if (!headers.getOrDefault("content-type", "").startsWith("application/problem+json")) {
                return null;
            }
            String type = field("type");
            return type == null ? null : type.substring(type.lastIndexOf('/') + 1);
        }
    }

    private Api() {
    }

    /**
     * How {@code user} writes the id of a resource that {@code owner} created: a member writes the
     * bare id of its own tenant's resource, every other role names the tenant, {@code <tenant>:<id>}
     * (what an admin creates without naming a tenant is the {@code default} tenant's).
     */
    public static String ref(String user, String owner, String id) {
        return TENANTS.containsKey(user) ? id : TENANTS.getOrDefault(owner, "default") + ":" + id;
    }

    public static Request as(String user) {
        return new Request(user);
    }

    public static Request anonymous() {
        return new Request(null);
    }

    /** A request under construction: who sends it, with which headers. */
    public static final class Request {
        private final String user;
        private final Map<String, String> headers = new LinkedHashMap<>();
        private String password;

        private Request(String user) {
            this.user = user;
            this.password = user == null ? null : PASSWORDS.get(user);
        }

        public Request password(String password) {
            this.password = password;
            return this;
        }

        public Request header(String name, String value) {
            headers.put(name, value);
            return this;
        }

        public Response post(Endpoint replica, String path, String json) {
            return send(replica, "POST", path, json, "application/json");
        }

        public Response post(Endpoint replica, String path) {
            return send(replica, "POST", path, null, null);
        }

        public Response delete(Endpoint replica, String path) {
            return send(replica, "DELETE", path, null, null);
        }

        public Response get(Endpoint replica, String path) {
            return send(replica, "GET", path, null, null);
        }

        public Response send(Endpoint replica, String method, String path, String body, String contentType) {
            HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(replica.url(path)))
                    .timeout(Duration.ofSeconds(30))
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
            if (contentType != null) {
                builder.header("Content-Type", contentType);
            }
            if (user != null) {
                builder.header("Authorization", "Basic " + Base64.getEncoder()
                        .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
            }
            headers.forEach(builder::header);
            try {
                HttpResponse<String> response = CLIENT.send(builder.build(), HttpResponse.BodyHandlers.ofString());
                Map<String, String> responseHeaders = new LinkedHashMap<>();
                response.headers().map().forEach((k, v) -> responseHeaders.put(k.toLowerCase(), String.join(",", v)));
                return new Response(response.statusCode(), responseHeaders, response.body());
            } catch (Exception e) {
                throw new IllegalStateException(method + " " + path + " failed", e);
            }
        }
    }
}
