package io.interlock.query;

import io.interlock.command.support.Api;
import io.interlock.command.support.Instances;
import io.interlock.command.support.Replacements;
import io.interlock.command.support.Replica;
import io.interlock.command.support.Shares;
import io.interlock.command.support.Storage;
import io.interlock.command.support.TestDatabase;
import io.interlock.query.support.QueryApp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Over a thousand generated malformed requests against every endpoint family of both apps:
 * bodies, JSON types, encodings, headers, paths, paging, methods, roles. Every one of them must be
 * refused (some read-side oddities only must not break the server) with a 4xx problem, never a
 * 5xx, and none may change the event store. The seed is printed; {@code -Dinterlock.fuzz.seed=N}
 * replays a run. On failure the summary (also in {@code target/fuzz-summary.txt}) counts the
 * answers per kind and shows the first example of each way of failing.
 */
class MalformedRequestFuzzTest {

    private static final long SEED = Long.getLong("interlock.fuzz.seed", 20261122L);
    /** Keeps the run bounded on a busy machine: every kind of malformation is kept, the rest sampled. */
    private static final int REQUESTS = Integer.getInteger("interlock.fuzz.requests", 1300);
    private static final String SCHEMA = TestDatabase.schema("fuzz");
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(8);

    private static Replica command;
    private static QueryApp query;

    @BeforeAll
    static void start() {
        command = Replica.start("fuzz", SCHEMA, Map.of());
        query = QueryApp.start(SCHEMA, Map.of("interlock.query.min-version-wait", "PT2S"));
    }

    @AfterAll
    static void stop() {
        if (query != null) {
            query.close();
        }
        if (command != null) {
            command.close();
        }
    }

    /** REFUSE: the request is wrong and must get a 4xx; NO_5XX: odd but arguably fine, it must only not break. */
    enum Expect { REFUSE, NO_5XX }

    enum App { COMMAND, QUERY }

    /** One generated request, sent as it is: through HttpClient when it can, else byte for byte on a socket. */
    record Probe(App app, String family, String kind, Expect expect, String method, String target,
                 List<String[]> headers, byte[] body, boolean raw) {
        String describe() {
            StringBuilder b = new StringBuilder(method + " " + printable(target, 160));
            for (String[] h : headers) {
                if (!h[0].equalsIgnoreCase("Authorization")) {
                    b.append(" | ").append(h[0]).append(": ").append(printable(h[1], 60));
                } else {
                    b.append(" | Authorization: ").append(printable(h[1], 30));
                }
            }
            if (body != null) {
                b.append(" | body ").append(printable(new String(body, StandardCharsets.UTF_8), 140));
            }
            return b.toString();
        }
    }

    record Answer(int status, Map<String, String> headers, String body, String error) {
        String contentType() {
            String type = headers.getOrDefault("content-type", "-");
            int semicolon = type.indexOf(';');
            return (semicolon < 0 ? type : type.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
        }
    }

    @Test
    void malformedRequestsAreRefusedWithProblemsAndChangeNothing() throws Exception {
        System.out.println("MalformedRequestFuzzTest seed " + SEED + " (-Dinterlock.fuzz.seed=" + SEED + " replays it)");
        long began = System.nanoTime();
        Seeds seeds = seed();
        long head = settle();
        System.out.println("MalformedRequestFuzzTest: seeding and settling took "
                + Duration.ofNanos(System.nanoTime() - began).toSeconds() + " s");

        List<Probe> generated = new ArrayList<>();
        Random random = new Random(SEED);
        Generator generator = new Generator(random, seeds);
        generator.commandSide(generated);
        generator.querySide(generated);
        List<Probe> probes = bounded(generated, REQUESTS, random);
        System.out.println("MalformedRequestFuzzTest: generated " + generated.size() + " requests, sending " + probes.size());
        assertThat(probes.size()).as("requests to send").isGreaterThanOrEqualTo(1000);

        Summary summary = new Summary();
        long started = System.nanoTime();
        try (Connection store = TestDatabase.connect(SCHEMA)) {
            long before = head(store);
            for (Probe probe : probes) {
                Answer answer = send(probe);
                if (answer.status() >= 200 && answer.status() < 300) {
                    // what an accepted request sets off (a saga giving a lease back) is its doing, not the next one's
                    Thread.sleep(300);
                }
                long after = head(store);
                summary.record(probe, answer, after != before);
                before = after;
            }
            // an accepted request may append through a saga a moment later
            Thread.sleep(1500);
            long end = head(store);
            summary.finalHead(head, end);
        }
        String report = summary.render(probes.size(), Duration.ofNanos(System.nanoTime() - started));
        System.out.println(report);
        Path file = Path.of("target", "fuzz-summary.txt");
        Files.createDirectories(file.getParent());
        Files.writeString(file, report);

        assertThat(summary.failures).as(summary.failureSection()).isEmpty();
        assertThat(summary.endHead).as("event store head after the run").isEqualTo(head);
    }

    /** One of every (app, family, kind) first, then a seeded sample of the rest, in the order generated. */
    private static List<Probe> bounded(List<Probe> all, int cap, Random random) {
        if (all.size() <= cap) {
            return all;
        }
        Map<String, List<Integer>> byKind = new LinkedHashMap<>();
        for (int i = 0; i < all.size(); i++) {
            Probe p = all.get(i);
            byKind.computeIfAbsent(p.app() + " " + p.family() + " " + p.kind(), k -> new ArrayList<>()).add(i);
        }
        java.util.TreeSet<Integer> keep = new java.util.TreeSet<>();
        byKind.values().forEach(indexes -> keep.add(indexes.get(random.nextInt(indexes.size()))));
        List<Integer> rest = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            if (!keep.contains(i)) {
                rest.add(i);
            }
        }
        java.util.Collections.shuffle(rest, random);
        for (int i = 0; i < rest.size() && keep.size() < cap; i++) {
            keep.add(rest.get(i));
        }
        return keep.stream().map(all::get).toList();
    }

    // ---------------------------------------------------------------- seeding

    /** Valid resources of every type, so that requests on them fail for their malformation, not for a missing id. */
    static final class Seeds {
        String vmA;
        String vmB;
        String taskB;
        String src;
        String snap;
        String copy;
        String copyTask;
        String syncId;
        String syncedRule;
        String queuedRule;
        String node;
        String nqn;
        String emptyNqn;
        String lvolCreating;
        String lvolDeleting;
        String volStep;
        String volQueued;
        String volFree;
        String volDelete;
        String rrRunning;
        String rrRequested;
    }

    private static Seeds seed() {
        Seeds s = new Seeds();
        s.vmA = Instances.active(command, "alice");
        s.vmB = Instances.newId("vm");
        Api.Response building = Api.as("alice").post(command, "/v1/instances",
                "{\"id\":\"" + s.vmB + "\",\"name\":\"building\",\"flavor\":\"m1.small\"}");
        assertThat(building.status()).as(building.text()).isEqualTo(201);
        s.taskB = building.field("taskId");

        s.src = Shares.available(command, "alice");
        s.snap = Shares.snapshot(command, "alice", s.src);
        s.copy = Instances.newId("copy");
        Api.Response copy = Api.as("alice").post(command, "/v1/shares",
                "{\"id\":\"" + s.copy + "\",\"sourceShareId\":\"" + s.src + "\",\"snapshotId\":\"" + s.snap + "\"}");
        assertThat(copy.status()).as(copy.text()).isEqualTo(201);
        s.copyTask = copy.field("taskId");
        Api.Response rule = Api.as("alice").post(command, "/v1/shares/" + s.src + "/access-rules",
                "{\"accessType\":\"IP\",\"accessTo\":\"10.0.0.1\",\"level\":\"RW\"}");
        assertThat(rule.status()).as(rule.text()).isEqualTo(202);
        s.syncedRule = rule.json().get("accessRules").get(0).get("id").asString();
        Api.Response sync = Api.as("agent").post(command, "/v1/shares/acme:" + s.src + "/access-rules/sync");
        assertThat(sync.status()).as(sync.text()).isEqualTo(200);
        s.syncId = sync.field("syncId");
        Api.Response queued = Api.as("alice").post(command, "/v1/shares/" + s.src + "/access-rules",
                "{\"accessType\":\"IP\",\"accessTo\":\"10.0.0.2\",\"level\":\"RO\"}");
        assertThat(queued.status()).as(queued.text()).isEqualTo(202);
        for (JsonNode r : queued.json().get("accessRules")) {
            if (!r.get("id").asString().equals(s.syncedRule)) {
                s.queuedRule = r.get("id").asString();
            }
        }

        s.node = Storage.node(command, "alice", 8);
        s.nqn = Storage.subsystem(command, "alice", s.node, 8);
        s.emptyNqn = Storage.subsystem(command, "alice", s.node, 8);
        s.lvolCreating = "lv-creating";
        s.lvolDeleting = "lv-deleting";
        for (String lvol : List.of(s.lvolCreating, s.lvolDeleting)) {
            Api.Response allocated = Storage.allocate(command, "alice", s.nqn, lvol);
            assertThat(allocated.status()).as(allocated.text()).isEqualTo(201);
        }
        Api.Response released = Api.as("alice").delete(command, "/v1/subsystems/" + s.nqn + "/namespaces/" + s.lvolDeleting);
        assertThat(released.status()).as(released.text()).isEqualTo(200);

        s.volStep = Replacements.volume(command);
        s.volQueued = Replacements.volume(command);
        s.volFree = Replacements.volume(command);
        s.volDelete = Replacements.volume(command);
        s.rrRunning = Replacements.requested(command);
        Replacements.running(command, s.rrRunning, "saga-seed");
        Api.Response step = Replacements.addStep(command, s.rrRunning, s.volQueued);
        assertThat(step.status()).as(step.text()).isEqualTo(201);
        s.rrRequested = Replacements.requested(command);
        return s;
    }

    /** Waits until the store stops growing and every projection has read it all; returns the head. */
    private static long settle() throws Exception {
        long head;
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        try (Connection store = TestDatabase.connect(SCHEMA)) {
            head = head(store);
            while (true) {
                Thread.sleep(1000);
                long now = head(store);
                boolean caughtUp = true;
                for (JsonNode p : Api.as("admin").get(query, "/v1/admin/projections").json()) {
                    caughtUp &= p.get("position").asLong() >= now && !p.get("rebuilding").asBoolean();
                }
                if (now == head && caughtUp) {
                    break;
                }
                head = now;
                assertThat(System.nanoTime()).as("the store and projections settle").isLessThan(deadline);
            }
        }
        System.out.println("MalformedRequestFuzzTest: seeded, event store head " + head);
        return head;
    }

    private static long head(Connection store) throws SQLException {
        try (Statement s = store.createStatement();
             ResultSet rs = s.executeQuery("select coalesce(max(global_index), 0) from domain_event_entry")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    // ---------------------------------------------------------------- generation

    enum Type { ID, TEXT, INT, BOOL, ENUM, NQN, MANAGE, RESULTS }

    /** One body field: its JSON type and a fresh valid literal each time it is asked for. */
    record Field(String name, Type type, int max, boolean required, Supplier<String> valid) {
    }

    /**
     * A valid command-side request (it would succeed, or fail only on the resource's state) that
     * the generator breaks in one way at a time.
     */
    record Template(String family, String method, String path, String user, List<Field> fields,
                    boolean bodyRequired, boolean agentOnly, boolean aliceOwned) {
        boolean hasBody() {
            return !fields.isEmpty();
        }
    }

    /** A query-side list: its filters by type, and whether it pages. */
    record ListEndpoint(String family, String path, Map<String, Type> filters, Map<String, String> validEnum,
                        boolean paged) {
    }

    static final class Generator {
        private final Random random;
        private final Seeds s;
        private final AtomicInteger fresh = new AtomicInteger();

        Generator(Random random, Seeds s) {
            this.random = random;
            this.s = s;
        }

        private String freshId(String prefix) {
            return prefix + "-fz" + fresh.incrementAndGet();
        }

        private Supplier<String> freshLiteral(String prefix) {
            return () -> q(freshId(prefix));
        }

        private static Supplier<String> literal(String json) {
            return () -> json;
        }

        private <T> T pick(List<T> options) {
            return options.get(random.nextInt(options.size()));
        }

        // ------------------------------------------------------------ command side

        List<Template> commandTemplates() {
            List<Template> t = new ArrayList<>();
            String vm = "/v1/instances/" + s.vmA;
            t.add(new Template("instances", "POST", "/v1/instances", "alice", List.of(
                    new Field("id", Type.ID, 64, false, freshLiteral("vm")),
                    new Field("name", Type.TEXT, 255, true, literal(q("web"))),
                    new Field("flavor", Type.TEXT, 255, true, literal(q("m1.small")))), true, false, false));
            t.add(new Template("instances", "POST", vm + "/actions/reboot", "alice", List.of(
                    new Field("type", Type.ENUM, 0, false, literal(q("SOFT")))), false, false, true));
            t.add(new Template("instances", "POST", vm + "/actions/resize", "alice", List.of(
                    new Field("flavor", Type.TEXT, 255, true, literal(q("m1.large")))), false, false, true));
            t.add(new Template("instances", "POST", vm + "/actions/shelve", "alice", List.of(
                    new Field("offload", Type.BOOL, 0, false, literal("false"))), false, false, true));
            // admins and agents serve every tenant: they name the tenant of alice's resources
            t.add(new Template("instances", "POST", "/v1/instances/acme:" + s.vmA + "/actions/reset-state", "admin", List.of(
                    new Field("vmState", Type.ENUM, 0, true, literal(q("ERROR")))), false, false, true));
            t.add(new Template("instances", "DELETE", vm, "alice", List.of(), false, false, true));
            t.add(new Template("instances", "POST", "/v1/instances/acme:" + s.vmB + "/tasks/" + s.taskB + "/complete",
                    "agent", List.of(new Field("result", Type.TEXT, 4096, false, literal(q("done")))), false, true, true));
            t.add(new Template("instances", "POST", "/v1/instances/acme:" + s.vmB + "/tasks/" + s.taskB + "/fail",
                    "agent", List.of(new Field("reason", Type.TEXT, 4096, true, literal(q("broken")))), true, true, true));

            String share = "/v1/shares/" + s.src;
            t.add(new Template("shares", "POST", "/v1/shares", "alice", List.of(
                    new Field("id", Type.ID, 64, false, freshLiteral("sh")),
                    new Field("size", Type.INT, 1_000_000, true, literal("10")),
                    new Field("protocol", Type.ID, 16, true, literal(q("NFS")))), true, false, false));
            t.add(new Template("shares", "POST", "/v1/shares", "alice", List.of(
                    new Field("id", Type.ID, 64, false, freshLiteral("cp")),
                    new Field("sourceShareId", Type.ID, 64, true, literal(q(s.src))),
                    new Field("snapshotId", Type.ID, 64, true, literal(q(s.snap)))), true, false, true));
            t.add(new Template("shares", "POST", "/v1/shares", "alice", List.of(
                    new Field("id", Type.ID, 64, false, freshLiteral("mg")),
                    new Field("manage", Type.MANAGE, 1024, true, () -> "{\"exportPath\":" + q("/export/" + freshId("p")) + "}")),
                    true, false, false));
            t.add(new Template("shares", "POST", share + "/actions/extend", "alice", List.of(
                    new Field("newSize", Type.INT, 1_000_000, true, literal("20"))), false, false, true));
            t.add(new Template("shares", "POST", share + "/actions/migrate", "alice", List.of(
                    new Field("destination", Type.TEXT, 255, true, literal(q("pool-b")))), false, false, true));
            String agentShare = "/v1/shares/acme:" + s.src;
            t.add(new Template("shares", "POST", agentShare + "/actions/reset-status", "admin", List.of(
                    new Field("status", Type.ENUM, 0, true, literal(q("ERROR"))),
                    new Field("force", Type.BOOL, 0, false, literal("true"))), false, false, true));
            t.add(new Template("shares", "POST", share + "/snapshots", "alice", List.of(
                    new Field("snapshotId", Type.ID, 64, false, freshLiteral("snap")),
                    new Field("name", Type.TEXT, 255, true, literal(q("nightly")))), true, false, true));
            t.add(new Template("shares", "DELETE", "/v1/shares/" + s.copy, "alice", List.of(), false, false, true));
            t.add(new Template("shares", "POST", "/v1/shares/acme:" + s.copy + "/tasks/" + s.copyTask + "/complete", "agent",
                    List.of(new Field("result", Type.TEXT, 4096, false, literal(q("copied")))), false, true, true));
            t.add(new Template("shares", "POST", "/v1/shares/acme:" + s.copy + "/tasks/" + s.copyTask + "/fail", "agent",
                    List.of(new Field("reason", Type.TEXT, 4096, true, literal(q("broken"))),
                            new Field("possibleDataLoss", Type.BOOL, 0, false, literal("false"))), true, true, true));
            t.add(new Template("shares", "POST", share + "/access-rules", "alice", List.of(
                    new Field("accessType", Type.ENUM, 0, true, literal(q("IP"))),
                    new Field("accessTo", Type.TEXT, 255, true, () -> q("10.1." + fresh.incrementAndGet() % 250 + "." + random.nextInt(250))),
                    new Field("level", Type.ENUM, 0, true, literal(q("RW")))), true, false, true));
            t.add(new Template("shares", "DELETE", share + "/access-rules/" + s.queuedRule, "alice", List.of(),
                    false, false, true));
            t.add(new Template("shares", "POST", agentShare + "/access-rules/sync", "agent", List.of(), false, true, true));
            t.add(new Template("shares", "POST", agentShare + "/access-rules/sync/" + s.syncId + "/result", "agent", List.of(
                    new Field("results", Type.RESULTS, 0, true, literal("{" + q(s.syncedRule) + ":\"OK\"}"))),
                    true, true, true));

            t.add(new Template("nodes", "POST", "/v1/nodes", "alice", List.of(
                    new Field("nodeId", Type.ID, 64, true, freshLiteral("node")),
                    new Field("maxSubsystems", Type.INT, 1024, false, literal("4"))), true, false, false));
            t.add(new Template("nodes", "POST", "/v1/nodes/" + s.node + "/placements", "alice", List.of(
                    new Field("lvolId", Type.ID, 128, true, freshLiteral("lv")),
                    new Field("namespaced", Type.BOOL, 0, true, literal("true"))), true, false, true));

            String ns = "/v1/subsystems/" + s.nqn + "/namespaces";
            t.add(new Template("subsystems", "POST", "/v1/subsystems", "alice", List.of(
                    new Field("nqn", Type.NQN, 0, true, () -> q("nqn.2026-01.io.fuzz:" + freshId("ss"))),
                    new Field("nodeId", Type.ID, 64, true, literal(q(s.node))),
                    new Field("maxNamespaces", Type.INT, 50, false, literal("4"))), true, false, true));
            t.add(new Template("subsystems", "DELETE", "/v1/subsystems/" + s.emptyNqn, "alice", List.of(),
                    false, false, true));
            t.add(new Template("subsystems", "POST", ns, "alice", List.of(
                    new Field("lvolId", Type.ID, 128, true, freshLiteral("lv"))), true, false, true));
            String agentNs = "/v1/subsystems/acme:" + s.nqn + "/namespaces";
            t.add(new Template("subsystems", "POST", agentNs + "/" + s.lvolCreating + "/online", "agent", List.of(),
                    false, false, true));
            t.add(new Template("subsystems", "DELETE", ns + "/" + s.lvolCreating, "alice", List.of(), false, false, true));
            t.add(new Template("subsystems", "POST", agentNs + "/" + s.lvolDeleting + "/removed", "agent", List.of(),
                    false, false, true));

            t.add(new Template("volumes", "POST", "/v1/volumes", "alice", List.of(
                    new Field("volumeId", Type.ID, 64, true, freshLiteral("vol"))), true, false, false));
            t.add(new Template("volumes", "POST", "/v1/volumes/" + s.volDelete + "/delete", "alice", List.of(
                    new Field("hard", Type.BOOL, 0, true, literal("false"))), true, false, false));

            String rr = "/v1/replacements/" + s.rrRunning;
            t.add(new Template("replacements", "POST", "/v1/replacements", "alice", List.of(
                    new Field("id", Type.ID, 64, false, freshLiteral("rr")),
                    new Field("regionSnapshotId", Type.TEXT, 255, true, literal(q("rs-fuzz"))),
                    new Field("snapshotVolumeId", Type.ID, 64, true, literal(q(s.volFree)))), true, false, false));
            t.add(new Template("replacements", "POST", "/v1/replacements/" + s.rrRequested + "/transitions/begin-allocation",
                    "agent", List.of(new Field("sagaId", Type.TEXT, 255, true, literal(q("saga-fuzz")))), true, true, false));
            t.add(new Template("replacements", "POST", rr + "/target-deleted", "agent", List.of(), false, true, false));
            t.add(new Template("replacements", "POST", rr + "/steps", "agent", List.of(
                    new Field("volumeId", Type.ID, 64, true, literal(q(s.volStep)))), true, true, false));
            t.add(new Template("replacements", "POST", rr + "/steps/" + s.volQueued + "/transitions/begin", "agent",
                    List.of(new Field("sagaId", Type.TEXT, 255, true, literal(q("step-fuzz")))), true, true, false));
            return t;
        }

        void commandSide(List<Probe> out) {
            List<Template> templates = commandTemplates();
            java.util.Set<String> familiesSeen = new java.util.HashSet<>();
            for (Template t : templates) {
                boolean firstOfFamily = familiesSeen.add(t.family());
                if (t.hasBody()) {
                    bodyMutations(t, out);
                    for (String type : List.of("text/plain", "application/xml", "application/x-www-form-urlencoded",
                            "multipart/form-data; boundary=x", "application/jsonx")) {
                        out.add(cmd(t, "header.content-type", t.method(), t.path(), t.user(), body(t, null, null),
                                type, List.of()));
                    }
                    out.add(cmd(t, "header.content-type-missing", t.method(), t.path(), t.user(), body(t, null, null),
                            null, List.of()));
                }
                for (String ifMatch : List.of("abc", "\"abc\"", "\"-1\"", "\"99999\"", "\"99999999999999999999\"")) {
                    out.add(cmd(t, "header.if-match", t.method(), t.path(), t.user(), bodyOrNull(t), json(t),
                            List.<String[]>of(new String[]{"If-Match", ifMatch})));
                }
                out.add(cmd(t, "header.idempotency-key-long", t.method(), t.path(), t.user(), bodyOrNull(t), json(t),
                        List.<String[]>of(new String[]{"Idempotency-Key", "k".repeat(300)})));
                out.add(cmd(t, "header.idempotency-key-space", t.method(), t.path(), t.user(), bodyOrNull(t), json(t),
                        List.<String[]>of(new String[]{"Idempotency-Key", "key with spaces " + fresh.incrementAndGet()})));
                out.add(rawHeader(t, "header.idempotency-key-nul", "Idempotency-Key", "key\u0000" + fresh.incrementAndGet()));
                out.add(rawHeader(t, "header.idempotency-key-control", "Idempotency-Key", "key\u0001" + fresh.incrementAndGet()));
                out.add(rawHeader(t, "header.idempotency-key-utf8", "Idempotency-Key", "ключ-" + fresh.incrementAndGet()));
                out.add(rawHeader(t, "header.correlation-id-nul", "X-Correlation-Id", "corr\u0000" + fresh.incrementAndGet()));
                roles(t, out);
                methods(t, out, firstOfFamily);
                paths(t, out);
                if (firstOfFamily) {
                    framing(App.COMMAND, t.family(), t.method(), t.path(), t.user(), bodyOrNull(t), json(t), out);
                }
            }
            for (String path : List.of("/v1/nope", "/v1/instances/" + s.vmA + "/nope", "/actuator/info", "/actuator/env",
                    "/v2/instances", "/", "/error", "/v1/", "/v1/instances/" + s.vmA + "/actions")) {
                for (String user : List.of("alice", "admin")) {
                    out.add(probe(App.COMMAND, "unknown", "path.unknown", Expect.REFUSE, "GET", path,
                            auth(user), null, false));
                    out.add(probe(App.COMMAND, "unknown", "path.unknown", Expect.REFUSE, "POST", path,
                            with(auth(user), "Content-Type", "application/json"), bytes("{}"), false));
                }
            }
            out.add(probe(App.COMMAND, "health", "method.wrong", Expect.REFUSE, "POST", "/actuator/health",
                    List.of(), null, false));
            out.add(probe(App.COMMAND, "health", "method.wrong", Expect.REFUSE, "DELETE", "/actuator/health",
                    List.of(), null, false));
        }

        private void bodyMutations(Template t, List<Probe> out) {
            for (Field f : t.fields()) {
                for (Map.Entry<String, String> bad : badValues(f).entrySet()) {
                    out.add(cmd(t, "body." + bad.getKey(), t.method(), t.path(), t.user(),
                            body(t, f.name(), bad.getValue()), "application/json", List.of()));
                }
            }
            String valid = new String(body(t, null, null), StandardCharsets.UTF_8);
            Field first = t.fields().get(0);
            String firstLiteral = first.valid().get();
            Map<String, String> whole = new LinkedHashMap<>();
            whole.put("unknown-field", "{\"colour\":\"red\"," + valid.substring(1));
            whole.put("unknown-field-typo", valid.substring(0, valid.length() - 1) + ",\"" + typo(first.name()) + "\":"
                    + firstLiteral + "}");
            whole.put("unknown-field-null", valid.substring(0, valid.length() - 1) + ",\"colour\":null}");
            whole.put("duplicate-key", "{" + q(first.name()) + ":" + firstLiteral + "," + q(first.name()) + ":"
                    + firstLiteral + bodyWithout(t, first.name(), true) + "}");
            whole.put("truncated", valid.substring(0, valid.length() - 1));
            whole.put("trailing-garbage", valid + " x");
            whole.put("trailing-object", valid + "{}");
            whole.put("single-quotes", valid.replace('"', '\''));
            whole.put("comment", "{/* c */" + valid.substring(1));
            whole.put("top-level-array", "[" + valid + "]");
            whole.put("top-level-string", "\"" + valid.replace("\"", "\\\"") + "\"");
            whole.put("top-level-number", "7");
            whole.put("deep-nesting", "{\"colour\":" + "[".repeat(3000) + "]".repeat(3000) + "," + valid.substring(1));
            whole.put("oversized", "{\"colour\":\"" + "x".repeat(70_000) + "\"," + valid.substring(1));
            if (t.bodyRequired()) {
                whole.put("empty", "");
                whole.put("top-level-null", "null");
                whole.put("whitespace-only", "   ");
            }
            for (Map.Entry<String, String> w : whole.entrySet()) {
                out.add(cmd(t, "body." + w.getKey(), t.method(), t.path(), t.user(), bytes(w.getValue()),
                        "application/json", List.of()));
            }
            // bytes that are not UTF-8 inside the first string field
            for (Field f : t.fields()) {
                if (f.type() == Type.ID || f.type() == Type.TEXT || f.type() == Type.NQN) {
                    ByteArrayOutputStream b = new ByteArrayOutputStream();
                    String before = "{" + q(f.name()) + ":\"a";
                    b.writeBytes(before.getBytes(StandardCharsets.UTF_8));
                    b.write(0xC3);
                    b.write(0x28);
                    b.write(0xFF);
                    b.writeBytes(("b\"" + bodyWithout(t, f.name(), true) + "}").getBytes(StandardCharsets.UTF_8));
                    out.add(cmd(t, "body.invalid-utf8", t.method(), t.path(), t.user(), b.toByteArray(),
                            "application/json", List.of()));
                    break;
                }
            }
        }

        private static String typo(String name) {
            return name.length() > 2 ? name.charAt(1) + "" + name.charAt(0) + name.substring(2) : name + "x";
        }

        /** The malformed literals for one field, by kind. */
        private Map<String, String> badValues(Field f) {
            Map<String, String> bad = new LinkedHashMap<>();
            switch (f.type()) {
                case ID, NQN, TEXT -> {
                    bad.put("number-for-string", String.valueOf(100 + random.nextInt(900)));
                    bad.put("boolean-for-string", "true");
                    bad.put("array-for-string", "[" + f.valid().get() + "]");
                    bad.put("object-for-string", "{\"value\":" + f.valid().get() + "}");
                    bad.put("nul-in-string", withInside(f.valid().get(), "\\u0000"));
                    bad.put("lone-surrogate", withInside(f.valid().get(), "\\ud800"));
                    if (f.type() != Type.TEXT) {
                        bad.put("control-in-id", withInside(f.valid().get(), pick(List.of("\\u0001", "\\u001b", "\\u007f", "\\n", "\\t"))));
                        bad.put("space-in-id", withInside(f.valid().get(), " "));
                        bad.put("non-ascii-id", withInside(f.valid().get(), "\u00e4"));
                        bad.put("empty-string", "\"\"");
                    }
                    if (f.type() == Type.NQN) {
                        bad.put("overlong-string", q("nqn.2026-01." + "d".repeat(300) + ".io:" + freshId("x")));
                    } else {
                        int over = f.max() + 1 + random.nextInt(Math.max(1, f.max()));
                        bad.put("overlong-string", q("a" + "b".repeat(over)));
                    }
                    if (f.required()) {
                        bad.put("null-for-required", "null");
                    }
                }
                case INT -> {
                    bad.put("string-for-number", q(String.valueOf(1 + random.nextInt(4))));
                    bad.put("float-for-int", (1 + random.nextInt(4)) + ".5");
                    bad.put("boolean-for-number", "true");
                    bad.put("array-for-number", "[4]");
                    bad.put("object-for-number", "{\"value\":4}");
                    bad.put("huge-number", "1e400");
                    bad.put("overflowing-number", "99999999999999999999");
                    bad.put("negative-number", "-" + (1 + random.nextInt(9)));
                    bad.put("zero", "0");
                    bad.put("over-maximum", String.valueOf(f.max() + 1));
                    if (f.required()) {
                        bad.put("null-for-required", "null");
                    }
                }
                case BOOL -> {
                    bad.put("string-for-boolean", q(pick(List.of("true", "false"))));
                    bad.put("number-for-boolean", pick(List.of("0", "1")));
                    bad.put("array-for-boolean", "[true]");
                    bad.put("object-for-boolean", "{\"value\":true}");
                    bad.put("word-for-boolean", q("yes"));
                    if (f.required()) {
                        bad.put("null-for-required", "null");
                    }
                }
                case ENUM -> {
                    bad.put("enum-ordinal", String.valueOf(random.nextInt(2)));
                    bad.put("enum-ordinal-string", q(String.valueOf(random.nextInt(2))));
                    bad.put("enum-unknown", q("NOPE"));
                    bad.put("enum-nul", withInside(f.valid().get(), "\\u0000"));
                    bad.put("array-for-enum", "[" + f.valid().get() + "]");
                    bad.put("object-for-enum", "{}");
                    if (f.required()) {
                        bad.put("null-for-required", "null");
                    }
                }
                case MANAGE -> {
                    bad.put("string-for-object", q("/export/" + freshId("p")));
                    bad.put("array-for-object", "[]");
                    bad.put("number-for-object", "1");
                    bad.put("nested-unknown-field", "{\"exportPath\":" + q("/export/" + freshId("p")) + ",\"colour\":\"red\"}");
                    bad.put("nested-nul-in-string", "{\"exportPath\":" + q("/export/" + freshId("p")).replace("/p", "/\\u0000p") + "}");
                    bad.put("nested-overlong-string", "{\"exportPath\":" + q("/" + "e".repeat(1100)) + "}");
                    bad.put("nested-number-for-string", "{\"exportPath\":7}");
                    bad.put("nested-duplicate-key", "{\"exportPath\":" + q("/export/" + freshId("p")) + ",\"exportPath\":"
                            + q("/export/" + freshId("p")) + "}");
                    bad.put("null-for-required", "null");
                }
                case RESULTS -> {
                    bad.put("array-for-map", "[]");
                    bad.put("string-for-map", q("OK"));
                    bad.put("map-enum-ordinal", "{" + q(s.syncedRule) + ":0}");
                    bad.put("map-enum-unknown", "{" + q(s.syncedRule) + ":\"NOPE\"}");
                    bad.put("map-unknown-rule", "{" + q(s.syncedRule) + ":\"OK\",\"nope-rule\":\"OK\"}");
                    bad.put("map-nul-key", "{" + q(s.syncedRule) + ":\"OK\",\"a\\u0000b\":\"OK\"}");
                    bad.put("map-duplicate-key", "{" + q(s.syncedRule) + ":\"OK\"," + q(s.syncedRule) + ":\"ERROR\"}");
                    bad.put("map-empty", "{}");
                    bad.put("null-for-required", "null");
                }
                default -> throw new IllegalStateException(f.type().name());
            }
            return bad;
        }

        private static String withInside(String stringLiteral, String insert) {
            if (!stringLiteral.startsWith("\"")) {
                return stringLiteral;
            }
            return "\"" + stringLiteral.substring(1, Math.min(3, stringLiteral.length() - 1)) + insert
                    + stringLiteral.substring(Math.min(3, stringLiteral.length() - 1));
        }

        /** The template's body with one field's literal replaced (or all valid when field is null). */
        private byte[] body(Template t, String field, String literal) {
            StringBuilder b = new StringBuilder("{");
            for (Field f : t.fields()) {
                if (b.length() > 1) {
                    b.append(',');
                }
                b.append(q(f.name())).append(':').append(f.name().equals(field) ? literal : f.valid().get());
            }
            return bytes(b.append('}').toString());
        }

        private String bodyWithout(Template t, String field, boolean leadingComma) {
            StringBuilder b = new StringBuilder();
            for (Field f : t.fields()) {
                if (!f.name().equals(field)) {
                    b.append(',').append(q(f.name())).append(':').append(f.valid().get());
                }
            }
            return leadingComma ? b.toString() : b.length() == 0 ? "" : b.substring(1);
        }

        private byte[] bodyOrNull(Template t) {
            return t.hasBody() ? body(t, null, null) : null;
        }

        private static String json(Template t) {
            return t.hasBody() ? "application/json" : null;
        }

        private void roles(Template t, List<Probe> out) {
            byte[] body = bodyOrNull(t);
            out.add(probe(App.COMMAND, t.family(), "auth.none", Expect.REFUSE, t.method(), t.path(),
                    contentType(List.of(), json(t)), body, false));
            out.add(probe(App.COMMAND, t.family(), "auth.wrong-password", Expect.REFUSE, t.method(), t.path(),
                    contentType(basic(t.user(), "wrong"), json(t)), bodyOrNull(t), false));
            out.add(cmd(t, "role.auditor", t.method(), t.path(), "auditor", bodyOrNull(t), json(t), List.of()));
            if (t.agentOnly()) {
                out.add(cmd(t, "role.member-on-agent-endpoint", t.method(), t.path(), "alice", bodyOrNull(t), json(t), List.of()));
            } else if (!t.user().equals("agent")) {
                out.add(cmd(t, "role.agent-on-member-endpoint", t.method(), t.path(), "agent", bodyOrNull(t), json(t), List.of()));
            }
            if (t.user().equals("admin")) {
                out.add(cmd(t, "role.member-on-admin-endpoint", t.method(), t.path(), "alice", bodyOrNull(t), json(t), List.of()));
            }
            if (t.aliceOwned() && !t.agentOnly()) {
                out.add(cmd(t, "role.other-tenant", t.method(), t.path(), "bob", bodyOrNull(t), json(t), List.of()));
            }
            String header = pick(List.of("Basic !!!notbase64", "Bearer abc.def.ghi", "Digest username=\"alice\"",
                    "Basic " + b64("alice"), "Basic " + b64("alice:"), "Basic " + b64(":alice-secret"), "Basic",
                    "Basic " + b64("alice:alice-secret") + "x"));
            out.add(probe(App.COMMAND, t.family(), "auth.malformed", Expect.REFUSE, t.method(), t.path(),
                    contentType(List.<String[]>of(new String[]{"Authorization", header}), json(t)), bodyOrNull(t), false));
        }

        private void methods(Template t, List<Probe> out, boolean firstOfFamily) {
            for (String method : List.of("PUT", "PATCH", "GET")) {
                out.add(cmd(t, "method.wrong", method, t.path(), t.user(), method.equals("GET") ? null : bodyOrNull(t),
                        method.equals("GET") ? null : json(t), List.of()));
            }
            String other = t.method().equals("POST") ? "DELETE" : "POST";
            out.add(cmd(t, "method.wrong", other, t.path(), t.user(), null, null, List.of()));
            if (firstOfFamily) {
                out.add(cmd(t, "method.unknown", "FOO", t.path(), t.user(), bodyOrNull(t), json(t), List.of()));
                out.add(cmd(t, "method.trace", "TRACE", t.path(), t.user(), null, null, List.of()));
                out.add(cmd(t, "method.lowercase", t.method().toLowerCase(Locale.ROOT), t.path(), t.user(), bodyOrNull(t),
                        json(t), List.of()));
            }
        }

        /** Breaks one segment of the path that names a resource, and the path's shape. */
        private void paths(Template t, List<Probe> out) {
            String[] segments = t.path().split("/");
            List<Integer> ids = new ArrayList<>();
            for (int i = 3; i < segments.length; i++) {
                if (!List.of("actions", "tasks", "complete", "fail", "snapshots", "access-rules", "sync", "result",
                        "placements", "namespaces", "online", "removed", "delete", "transitions", "target-deleted",
                        "steps").contains(segments[i]) && !List.of("actions", "transitions").contains(segments[i - 1])) {
                    ids.add(i);
                }
            }
            Map<String, String> replacements = new LinkedHashMap<>();
            replacements.put("path.nul-encoded", "a%00b");
            replacements.put("path.invalid-utf8", "a%FFb");
            replacements.put("path.overlong-utf8", "a%C0%AEb");
            replacements.put("path.invalid-escape", "a%G1b");
            replacements.put("path.truncated-escape", "a%");
            replacements.put("path.encoded-slash", "a%2Fb");
            replacements.put("path.encoded-backslash", "a%5Cb");
            replacements.put("path.encoded-newline", "a%0Ab");
            replacements.put("path.encoded-dot-segment", "%2E%2E");
            replacements.put("path.matrix-parameter", "a;b=c");
            replacements.put("path.overlong-segment", "a" + "b".repeat(300));
            replacements.put("path.raw-control", "a\u0001b");
            replacements.put("path.raw-space", "a b");
            replacements.put("path.raw-non-ascii", "a\u00e4b");
            replacements.put("path.raw-nul", "a\u0000b");
            if (ids.isEmpty()) {
                for (Map.Entry<String, String> r : replacements.entrySet()) {
                    out.add(cmd(t, r.getKey(), t.method(), t.path() + "/" + r.getValue(), t.user(), bodyOrNull(t), json(t),
                            List.of()));
                }
            } else {
                for (Map.Entry<String, String> r : replacements.entrySet()) {
                    String[] copy = segments.clone();
                    copy[pick(ids)] = r.getValue();
                    out.add(cmd(t, r.getKey(), t.method(), String.join("/", copy), t.user(), bodyOrNull(t), json(t), List.of()));
                }
            }
            // the verb segment of an action or transition
            for (int i = 3; i < segments.length; i++) {
                if (i > 0 && List.of("actions", "transitions").contains(segments[i - 1])) {
                    for (String verb : List.of(segments[i].toUpperCase(Locale.ROOT), segments[i] + "x", segments[i] + "%00",
                            "%20" + segments[i])) {
                        String[] copy = segments.clone();
                        copy[i] = verb;
                        out.add(cmd(t, "path.unknown-verb", t.method(), String.join("/", copy), t.user(), bodyOrNull(t),
                                json(t), List.of()));
                    }
                }
            }
            out.add(cmd(t, "path.trailing-slash", t.method(), t.path() + "/", t.user(), bodyOrNull(t), json(t), List.of()));
            out.add(cmd(t, "path.double-slash", t.method(), t.path().replaceFirst("/v1/", "/v1//"), t.user(), bodyOrNull(t),
                    json(t), List.of()));
            out.add(cmd(t, "path.extra-segment", t.method(), t.path() + "/zz", t.user(), bodyOrNull(t), json(t), List.of()));
            // a request that is refused anyway (an unknown id) must still answer a problem whatever it accepts
            String unknown = t.path().replaceFirst("^(/v1/[^/]+)(/[^/]+)?", "$1/nope-" + fresh.incrementAndGet());
            for (String accept : List.of("application/xml", "text/html", "image/png")) {
                out.add(cmd(t, "header.accept-on-refused", t.method(), ids.isEmpty() ? t.path() + "/nope" : unknown, t.user(),
                        bodyOrNull(t), json(t), List.<String[]>of(new String[]{"Accept", accept})));
            }
        }

        private Probe rawHeader(Template t, String kind, String name, String value) {
            List<String[]> headers = new ArrayList<>(auth(t.user()));
            if (t.hasBody()) {
                headers.add(new String[]{"Content-Type", "application/json"});
            }
            headers.add(new String[]{name, value});
            return probe(App.COMMAND, t.family(), kind, Expect.REFUSE, t.method(), t.path(), headers, bodyOrNull(t), true);
        }

        private Probe cmd(Template t, String kind, String method, String path, String user, byte[] body, String type,
                          List<String[]> extra) {
            return cmd(t, kind, method, path, user, body, type, extra, Expect.REFUSE);
        }

        private Probe cmd(Template t, String kind, String method, String path, String user, byte[] body, String type,
                          List<String[]> extra, Expect expect) {
            List<String[]> headers = new ArrayList<>(auth(user));
            if (type != null) {
                headers.add(new String[]{"Content-Type", type});
            }
            headers.addAll(extra);
            return probe(App.COMMAND, t.family(), kind, expect, method, path, headers, body, false);
        }

        // ------------------------------------------------------------ framing (raw HTTP)

        /** What only a raw socket can send: broken request lines, headers and bodies at the HTTP layer. */
        private void framing(App app, String family, String method, String path, String user, byte[] body, String type,
                             List<Probe> out) {
            List<String[]> base = new ArrayList<>(auth(user));
            if (type != null) {
                base.add(new String[]{"Content-Type", type});
            }
            out.add(probe(app, family, "header.oversized", Expect.REFUSE, method, path,
                    with(base, "X-Fuzz", "x".repeat(20_000)), body, false));
            List<String[]> many = new ArrayList<>(base);
            for (int i = 0; i < 150; i++) {
                many.add(new String[]{"X-Fuzz-" + i, "v"});
            }
            out.add(probe(app, family, "header.too-many", Expect.REFUSE, method, path, many, body, false));
            out.add(probe(app, family, "header.name-with-space", Expect.REFUSE, method, path,
                    with(base, "X Fuzz", "v"), body, true));
            out.add(probe(app, family, "header.without-colon", Expect.REFUSE, method, path,
                    with(base, "XFuzzWithoutColon", null), body, true));
            out.add(probe(app, family, "header.value-with-control", Expect.REFUSE, method, path,
                    with(base, "X-Correlation-Id", "a\u0001b\u007fc"), body, true));
            out.add(probe(app, family, "header.host-missing", Expect.REFUSE, method, path,
                    with(base, "Host", null), body, true));
            out.add(probe(app, family, "header.host-twice", Expect.REFUSE, method, path,
                    with(with(base, "Host", "127.0.0.1"), "Host", "example.org"), body, true));
            out.add(probe(app, family, "header.content-length-invalid", Expect.REFUSE, method, path,
                    with(base, "Content-Length", "abc"), body, true));
            out.add(probe(app, family, "header.content-length-negative", Expect.REFUSE, method, path,
                    with(base, "Content-Length", "-5"), body, true));
            out.add(probe(app, family, "header.content-length-twice", Expect.REFUSE, method, path,
                    with(with(base, "Content-Length", "2"), "Content-Length", "3"), bytes("{}x"), true));
            if (body != null) {
                // a GET's body is never read, so only a request that has one can be judged on its framing
                out.add(probe(app, family, "body.chunked-invalid", Expect.REFUSE, method, path,
                        with(base, "Transfer-Encoding", "chunked"), bytes("zz\r\n{}\r\n0\r\n\r\n"), true));
            }
            out.add(probe(app, family, "line.garbage", Expect.REFUSE, "GARBAGE", "", List.of(), null, true));
            out.add(probe(app, family, "line.bad-version", Expect.REFUSE, method, path + " HTTP/1.1x", base, body, true));
            out.add(probe(app, family, "line.asterisk-target", Expect.REFUSE, method, "*", base, body, true));
            out.add(probe(app, family, "line.overlong-target", Expect.REFUSE, method, path + "/" + "a".repeat(10_000), base,
                    body, true));
            out.add(probe(app, family, "line.target-without-slash", Expect.REFUSE, method, path.substring(1), base, body, true));
        }

        // ------------------------------------------------------------ query side

        void querySide(List<Probe> out) {
            Map<String, String> enums = Map.of("vmState", "ACTIVE", "taskState", "SPAWNING", "previousVmState", "ACTIVE",
                    "status", "AVAILABLE", "accessRulesStatus", "ACTIVE", "namespaceStatus", "ONLINE",
                    "deletionStatus", "ACTIVE", "state", "RUNNING", "stepState", "REQUESTED");
            List<ListEndpoint> lists = List.of(
                    new ListEndpoint("instances", "/v1/instances", ordered("vmState", Type.ENUM, "taskState", Type.ENUM,
                            "busy", Type.BOOL, "locked", Type.BOOL, "previousVmState", Type.ENUM, "tenant", Type.TEXT), enums, true),
                    new ListEndpoint("shares", "/v1/shares", ordered("status", Type.ENUM, "accessRulesStatus", Type.ENUM,
                            "busy", Type.BOOL, "tenant", Type.TEXT), enums, true),
                    new ListEndpoint("nodes", "/v1/nodes", ordered("full", Type.BOOL, "tenant", Type.TEXT), enums, true),
                    new ListEndpoint("subsystems", "/v1/subsystems", ordered("nodeId", Type.TEXT, "status", Type.ENUM,
                            "dedicated", Type.BOOL, "full", Type.BOOL, "namespaceStatus", Type.ENUM, "tenant", Type.TEXT),
                            Map.of("status", "ACTIVE", "namespaceStatus", "ONLINE"), true),
                    new ListEndpoint("volumes", "/v1/volumes", ordered("deletionStatus", Type.ENUM, "locked", Type.BOOL,
                            "lockHolder", Type.TEXT), enums, true),
                    new ListEndpoint("replacements", "/v1/replacements", ordered("state", Type.ENUM, "held", Type.BOOL,
                            "operatingSagaId", Type.TEXT, "targetDeleted", Type.BOOL, "stepState", Type.ENUM,
                            "regionSnapshotId", Type.TEXT, "snapshotVolumeId", Type.TEXT), enums, true),
                    new ListEndpoint("utilisation", "/v1/utilisation", ordered("nodeId", Type.TEXT, "tenant", Type.TEXT),
                            enums, false));
            for (ListEndpoint list : lists) {
                listProbes(list, out);
            }
            Map<String, String> ones = new LinkedHashMap<>();
            ones.put("instances", "/v1/instances/" + s.vmA);
            ones.put("shares", "/v1/shares/" + s.src);
            ones.put("nodes", "/v1/nodes/" + s.node);
            ones.put("subsystems", "/v1/subsystems/" + s.nqn);
            ones.put("volumes", "/v1/volumes/" + s.volStep);
            ones.put("replacements", "/v1/replacements/" + s.rrRunning);
            for (Map.Entry<String, String> one : ones.entrySet()) {
                oneProbes(one.getKey(), one.getValue(), !List.of("volumes", "replacements").contains(one.getKey()), out);
            }
            overviewProbes(out);
            auditProbes(out);
            streamProbes(out);
            for (String path : List.of("/v1/nope", "/actuator/info", "/actuator/env", "/actuator/beans",
                    "/v2/instances", "/v1/", "/v1/instances/" + s.vmA + "/nope", "/v1/instances/a/b/c", "/error",
                    "/index.html%00", "/v1/admin", "/v1/audit")) {
                for (String user : List.of("alice", "admin")) {
                    out.add(qry("unknown", "path.unknown", Expect.REFUSE, "GET", path, user, List.of()));
                }
            }
            out.add(qry("dashboard", "method.wrong", Expect.REFUSE, "POST", "/", "alice", List.of()));
            out.add(qry("dashboard", "method.wrong", Expect.REFUSE, "DELETE", "/index.html", "alice", List.of()));
            out.add(qry("dashboard", "path.nul-encoded", Expect.REFUSE, "GET", "/%00", "alice", List.of()));
            out.add(qry("health", "method.wrong", Expect.REFUSE, "POST", "/actuator/health", null, List.of()));
            framing(App.QUERY, "instances", "GET", "/v1/instances/" + s.vmA, "alice", null, null, out);
            framing(App.QUERY, "shares", "GET", "/v1/shares?status=AVAILABLE", "alice", null, null, out);
            // last: a replay that slipped through would make every read after it answer 503
            adminProbes(out);
        }

        private void listProbes(ListEndpoint list, List<Probe> out) {
            String p = list.path();
            String f = list.family();
            for (Map.Entry<String, Type> filter : list.filters().entrySet()) {
                String name = filter.getKey();
                switch (filter.getValue()) {
                    case ENUM -> {
                        String valid = list.validEnum().getOrDefault(name, "ACTIVE");
                        for (String bad : List.of("NOPE", "1", valid + ",NOPE", valid + "%00", "%FF", "a%G1", valid + "%")) {
                            out.add(qry(f, "filter.enum-bad", Expect.REFUSE, "GET", p + "?" + name + "=" + bad, "admin", List.of()));
                        }
                        out.add(qry(f, "filter.enum-lowercase", Expect.NO_5XX, "GET", p + "?" + name + "="
                                + valid.toLowerCase(Locale.ROOT), "admin", List.of()));
                        out.add(qry(f, "filter.enum-empty-item", Expect.NO_5XX, "GET", p + "?" + name + "=" + valid + ",,"
                                + valid, "admin", List.of()));
                    }
                    case BOOL -> {
                        for (String bad : List.of("maybe", "2", "%FF", "tr%00ue", "true,false")) {
                            out.add(qry(f, "filter.boolean-bad", Expect.REFUSE, "GET", p + "?" + name + "=" + bad, "admin",
                                    List.of()));
                        }
                    }
                    case TEXT -> {
                        for (String bad : List.of("a%00b", "%FF", "a%G1", "a%", "%C0%80", "%ED%A0%80")) {
                            out.add(qry(f, "filter.text-bad-encoding", Expect.REFUSE, "GET", p + "?" + name + "=" + bad, "admin",
                                    List.of()));
                        }
                        out.add(qry(f, "filter.text-raw-control", Expect.REFUSE, "GET", p + "?" + name + "=a\u0001b", "admin",
                                List.of()));
                        out.add(qry(f, "filter.text-overlong", Expect.NO_5XX, "GET", p + "?" + name + "=" + "t".repeat(300),
                                "admin", List.of()));
                        out.add(qry(f, "filter.text-encoded-control", Expect.NO_5XX, "GET", p + "?" + name + "=a%01b",
                                "admin", List.of()));
                        out.add(qry(f, "filter.text-nul-as-member", Expect.REFUSE, "GET", p + "?" + name + "=acme%00",
                                "alice", List.of()));
                    }
                    default -> throw new IllegalStateException();
                }
            }
            for (String unknown : List.of("colour=red", "Page=0", typo(list.filters().keySet().iterator().next()) + "=x",
                    "minVersion=1", "%FF=1", "a%00=1", "=1")) {
                out.add(qry(f, "param.unknown", Expect.REFUSE, "GET", p + "?" + unknown, pick(List.of("alice", "admin",
                        "agent", "auditor")), List.of()));
            }
            if (list.paged()) {
                for (String bad : List.of("page=-1", "page=abc", "page=1.5", "page=99999999999", "page=%00", "page=0&page=1",
                        "page=1e3", "size=0", "size=501", "size=-1", "size=abc", "size=1e3", "size=99999999999", "size=%FF",
                        "size=10&size=20", "sort=bogus", "sort=id,sideways", "sort=,asc", "sort=id,asc,desc", "sort=%00",
                        "sort=id%00,asc", "sort=id;drop", "sort=id,ASC%FF")) {
                    out.add(qry(f, "paging.bad", Expect.REFUSE, "GET", p + "?" + bad, pick(List.of("alice", "admin")), List.of()));
                }
                out.add(qry(f, "paging.far-page", Expect.NO_5XX, "GET", p + "?page=2147483647&size=500", "admin", List.of()));
                out.add(qry(f, "paging.far-page", Expect.NO_5XX, "GET", p + "?page=4294967&size=500", "admin", List.of()));
            }
            queryCommon(f, p, out);
        }

        private void oneProbes(String family, String path, boolean tenanted, List<Probe> out) {
            for (String bad : List.of("abc", "1.5", "99999999999999999999", "%00", "1%FF", "1,2")) {
                out.add(qry(family, "param.min-version-bad", Expect.REFUSE, "GET", path + "?minVersion=" + bad, "alice", List.of()));
            }
            out.add(qry(family, "param.min-version-negative", Expect.NO_5XX, "GET", path + "?minVersion=-1", "alice", List.of()));
            out.add(qry(family, "param.unknown", Expect.REFUSE, "GET", path + "?colour=red", "alice", List.of()));
            out.add(qry(family, "param.unknown", Expect.REFUSE, "GET", path + "?minversion=1", "alice", List.of()));
            String base = path.substring(0, path.lastIndexOf('/') + 1);
            for (String id : List.of("a%00b", "a%FFb", "a%G1", "a%", "a%2Fb", "a%5Cb", "%2E%2E", "a;b=c", "a\u0001b",
                    "a b", "a\u00e4b", "a" + "b".repeat(300), "nope-" + fresh.incrementAndGet())) {
                out.add(qry(family, "path.bad-id", Expect.REFUSE, "GET", base + id, "alice", List.of()));
            }
            if (tenanted) {
                out.add(qry(family, "role.other-tenant", Expect.REFUSE, "GET", path, "bob", List.of()));
            }
            queryCommon(family, path, out);
        }

        /** Roles, methods and Accept on any read endpoint. */
        private void queryCommon(String family, String path, List<Probe> out) {
            out.add(qry(family, "auth.none", Expect.REFUSE, "GET", path, null, List.of()));
            out.add(probe(App.QUERY, family, "auth.wrong-password", Expect.REFUSE, "GET", path, basic("alice", "nope"), null,
                    false));
            out.add(probe(App.QUERY, family, "auth.malformed", Expect.REFUSE, "GET", path,
                    List.<String[]>of(new String[]{"Authorization", pick(List.of("Basic !!!", "Bearer x", "Basic " + b64("alice")))}),
                    null, false));
            for (String method : List.of("POST", "PUT", "DELETE", "PATCH")) {
                out.add(qry(family, "method.wrong", Expect.REFUSE, method, path, pick(List.of("alice", "admin")), List.of()));
            }
            for (String accept : List.of("application/xml", "image/png")) {
                out.add(qry(family, "header.accept", Expect.REFUSE, "GET", path, "alice",
                        List.<String[]>of(new String[]{"Accept", accept})));
            }
        }

        private void overviewProbes(List<Probe> out) {
            out.add(qry("stats", "param.unknown", Expect.REFUSE, "GET", "/v1/stats?colour=red", "alice", List.of()));
            queryCommon("stats", "/v1/stats", out);
            for (String bad : List.of("garbage", "PT", "P", "10M", "PT10M%00", "%FF", "P99999999999D", "PT10M,PT5M")) {
                out.add(qry("stuck", "param.duration-bad", Expect.REFUSE, "GET", "/v1/stuck?olderThan=" + bad, "alice", List.of()));
            }
            out.add(qry("stuck", "param.duration-negative", Expect.NO_5XX, "GET", "/v1/stuck?olderThan=-PT1M", "alice", List.of()));
            out.add(qry("stuck", "param.unknown", Expect.REFUSE, "GET", "/v1/stuck?olderThan=PT1M&colour=red", "alice", List.of()));
            queryCommon("stuck", "/v1/stuck", out);
        }

        private void auditProbes(List<Probe> out) {
            Map<String, String> typed = new LinkedHashMap<>();
            typed.put("instances", s.vmA);
            typed.put("shares", s.src);
            typed.put("nodes", s.node);
            typed.put("subsystems", s.nqn);
            typed.put("volumes", s.volStep);
            typed.put("replacements", s.rrRunning);
            for (Map.Entry<String, String> e : typed.entrySet()) {
                String events = "/v1/audit/" + e.getKey() + "/" + e.getValue() + "/events";
                String state = "/v1/audit/" + e.getKey() + "/" + e.getValue() + "/state";
                out.add(qry("audit", "param.unknown", Expect.REFUSE, "GET", events + "?colour=red", "auditor", List.of()));
                for (String bad : List.of("version=abc", "version=-1", "version=999", "version=99999999999999999999",
                        "version=%00", "at=garbage", "at=2026-13-45T00:00:00Z", "at=%FF", "at=2026-01-01T00:00:00Z%00",
                        "colour=red")) {
                    out.add(qry("audit", "param.audit-state-bad", Expect.REFUSE, "GET", state + "?" + bad, "auditor", List.of()));
                }
                out.add(qry("audit", "param.audit-state-both", Expect.NO_5XX, "GET", state + "?version=0&at=2026-01-01T00:00:00Z",
                        "auditor", List.of()));
                out.add(qry("audit", "role.member-on-audit", Expect.REFUSE, "GET", events, "alice", List.of()));
                out.add(qry("audit", "role.agent-on-audit", Expect.REFUSE, "GET", state + "?version=0", "agent", List.of()));
                queryCommon("audit", events, out);
            }
            for (String path : List.of("/v1/audit/nope/" + s.vmA + "/events", "/v1/audit/INSTANCES/" + s.vmA + "/events",
                    "/v1/audit/instances/" + s.src + "/events", "/v1/audit/instances/a%00b/events",
                    "/v1/audit/instances/a%FF/events", "/v1/audit/instances/nope-x/state?version=0",
                    "/v1/audit/instances/" + s.vmA + "/nope", "/v1/audit/%00/" + s.vmA + "/events")) {
                out.add(qry("audit", "path.audit-bad", Expect.REFUSE, "GET", path, "auditor", List.of()));
            }
            for (String bad : List.of("after=-1", "after=abc", "after=99999999999999999999", "after=1.5", "limit=0",
                    "limit=-1", "limit=abc", "limit=100000", "limit=%00", "colour=red", "after=%FF")) {
                out.add(qry("audit", "param.audit-events-bad", Expect.REFUSE, "GET", "/v1/audit/events?" + bad, "auditor",
                        List.of()));
            }
            queryCommon("audit", "/v1/audit/events", out);
        }

        private void adminProbes(List<Probe> out) {
            String replay = "/v1/admin/projections/instance-projection/replay";
            for (String user : List.of("alice", "agent", "auditor", "bob")) {
                out.add(qry("admin", "role.non-admin-replay", Expect.REFUSE, "POST", replay, user, List.of()));
                out.add(qry("admin", "role.non-admin-read", Expect.REFUSE, "GET", "/v1/admin/projections", user, List.of()));
            }
            out.add(qry("admin", "auth.none", Expect.REFUSE, "POST", replay, null, List.of()));
            for (String name : List.of("nope", "INSTANCE-PROJECTION", "instance-projection%00", "%FF", "a%2Fb",
                    "instance-projectionx")) {
                out.add(qry("admin", "path.unknown-projection", Expect.REFUSE, "POST", "/v1/admin/projections/" + name
                        + "/replay", "admin", List.of()));
                out.add(qry("admin", "path.unknown-projection", Expect.REFUSE, "GET", "/v1/admin/projections/" + name,
                        "admin", List.of()));
            }
            out.add(qry("admin", "method.wrong", Expect.REFUSE, "GET", replay, "admin", List.of()));
            out.add(qry("admin", "method.wrong", Expect.REFUSE, "DELETE", "/v1/admin/projections", "admin", List.of()));
            out.add(qry("admin", "method.wrong", Expect.REFUSE, "PUT", replay, "admin", List.of()));
            out.add(qry("admin", "param.unknown", Expect.REFUSE, "GET", "/v1/admin/projections?colour=red", "admin", List.of()));
        }

        private void streamProbes(List<Probe> out) {
            out.add(qry("stream", "param.unknown", Expect.REFUSE, "GET", "/v1/stream?colour=red", "alice", List.of()));
            out.add(qry("stream", "header.accept", Expect.REFUSE, "GET", "/v1/stream", "alice",
                    List.<String[]>of(new String[]{"Accept", "application/json"})));
            out.add(qry("stream", "auth.none", Expect.REFUSE, "GET", "/v1/stream", null, List.of()));
            for (String method : List.of("POST", "PUT", "DELETE")) {
                out.add(qry("stream", "method.wrong", Expect.REFUSE, method, "/v1/stream", "alice", List.of()));
            }
        }

        private Probe qry(String family, String kind, Expect expect, String method, String target, String user,
                          List<String[]> extra) {
            List<String[]> headers = new ArrayList<>(user == null ? List.of() : auth(user));
            headers.addAll(extra);
            return probe(App.QUERY, family, kind, expect, method, target, headers, null, false);
        }

        private static Map<String, Type> ordered(Object... pairs) {
            Map<String, Type> m = new LinkedHashMap<>();
            for (int i = 0; i < pairs.length; i += 2) {
                m.put((String) pairs[i], (Type) pairs[i + 1]);
            }
            return m;
        }
    }

    private static Probe probe(App app, String family, String kind, Expect expect, String method, String target,
                               List<String[]> headers, byte[] body, boolean raw) {
        return new Probe(app, family, kind, expect, method, target, headers, body, raw);
    }

    private static List<String[]> auth(String user) {
        return basic(user, Api.PASSWORDS.get(user));
    }

    private static List<String[]> basic(String user, String password) {
        return List.<String[]>of(new String[]{"Authorization", "Basic " + b64(user + ":" + password)});
    }

    private static List<String[]> contentType(List<String[]> headers, String type) {
        return type == null ? headers : with(headers, "Content-Type", type);
    }

    private static List<String[]> with(List<String[]> headers, String name, String value) {
        List<String[]> copy = new ArrayList<>(headers);
        copy.add(new String[]{name, value});
        return copy;
    }

    private static String b64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    /** A JSON string literal; control characters are escaped, so a NUL arrives as the JSON escape. */
    static String q(String text) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String printable(String text, int max) {
        if (text == null) {
            return "(none)";
        }
        StringBuilder b = new StringBuilder();
        for (char c : text.toCharArray()) {
            if (b.length() >= max) {
                return b + "...(" + text.length() + " chars)";
            }
            if (c < 0x20 || c == 0x7f) {
                b.append(String.format("\\x%02x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    // ---------------------------------------------------------------- sending

    private static int port(App app) {
        return URI.create((app == App.COMMAND ? command.url("/") : query.url("/"))).getPort();
    }

    private static Answer send(Probe probe) {
        if (!probe.raw() && probe.target().chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            HttpRequest request = null;
            try {
                request = httpRequest(probe);
            } catch (IllegalArgumentException refusedByClient) {
                // HttpClient will not send it (a bad URI or header): the socket will
            }
            if (request != null) {
                return sendHttp(request);
            }
        }
        return sendRaw(probe);
    }

    private static HttpRequest httpRequest(Probe probe) {
        URI uri = URI.create("http://127.0.0.1:" + port(probe.app()) + probe.target());
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri).timeout(ANSWER_TIMEOUT)
                .method(probe.method(), probe.body() == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(probe.body()));
        for (String[] h : probe.headers()) {
            if (h[1] == null) {
                throw new IllegalArgumentException("no value");
            }
            builder.header(h[0], h[1]);
        }
        return builder.build();
    }

    private static Answer sendHttp(HttpRequest request) {
        try {
            HttpResponse<InputStream> response = CLIENT.send(request, HttpResponse.BodyHandlers.ofInputStream());
            Map<String, String> headers = new LinkedHashMap<>();
            response.headers().map().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), String.join(",", v)));
            String body;
            try (InputStream in = response.body()) {
                // an event stream never ends: its headers are all the answer there is
                body = headers.getOrDefault("content-type", "").startsWith("text/event-stream") ? ""
                        : new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            return new Answer(response.statusCode(), headers, body, null);
        } catch (Exception e) {
            return new Answer(0, Map.of(), "", e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    /** Writes the request byte for byte, then reads the answer until the server closes the connection. */
    private static Answer sendRaw(Probe probe) {
        int port = port(probe.app());
        ByteArrayOutputStream request = new ByteArrayOutputStream();
        String line = probe.method() + " " + probe.target() + (probe.target().contains(" HTTP/") ? "" : " HTTP/1.1");
        if (probe.method().equals("GARBAGE")) {
            line = "GARBAGE \u0001\u0002 NOT-HTTP";
        }
        request.writeBytes((line + "\r\n").getBytes(StandardCharsets.UTF_8));
        boolean host = false;
        boolean length = false;
        boolean chunked = false;
        for (String[] h : probe.headers()) {
            if (h[0].equalsIgnoreCase("Host")) {
                host = true;
                if (h[1] == null) {
                    continue;
                }
            }
            length |= h[0].equalsIgnoreCase("Content-Length");
            chunked |= h[0].equalsIgnoreCase("Transfer-Encoding");
            request.writeBytes((h[1] == null ? h[0] : h[0] + ": " + h[1]).getBytes(StandardCharsets.UTF_8));
            request.writeBytes(new byte[]{'\r', '\n'});
        }
        StringBuilder tail = new StringBuilder();
        if (!host) {
            tail.append("Host: 127.0.0.1:").append(port).append("\r\n");
        }
        if (!length && !chunked && probe.body() != null) {
            tail.append("Content-Length: ").append(probe.body().length).append("\r\n");
        }
        tail.append("Connection: close\r\n\r\n");
        request.writeBytes(tail.toString().getBytes(StandardCharsets.UTF_8));
        if (probe.body() != null) {
            request.writeBytes(probe.body());
        }
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout((int) ANSWER_TIMEOUT.toMillis());
            OutputStream out = socket.getOutputStream();
            try {
                out.write(request.toByteArray());
                out.flush();
            } catch (IOException closedEarly) {
                // the server may answer and close before it has read everything: read what it said
            }
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[8192];
            try {
                for (int n; (n = in.read(buffer)) > 0; ) {
                    answer.write(buffer, 0, n);
                    if (answer.size() > 4_000_000) {
                        break;
                    }
                }
            } catch (SocketTimeoutException | java.net.SocketException e) {
                if (answer.size() == 0) {
                    return new Answer(0, Map.of(), "", "no answer: " + e.getMessage());
                }
            }
            return parse(answer.toByteArray());
        } catch (IOException e) {
            return new Answer(0, Map.of(), "", e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    private static Answer parse(byte[] raw) {
        String text = new String(raw, StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n\r\n");
        if (!text.startsWith("HTTP/") || end < 0) {
            return new Answer(0, Map.of(), "", raw.length == 0 ? "connection closed without an answer"
                    : "not an HTTP answer: " + printable(text, 80));
        }
        String[] lines = text.substring(0, end).split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.merge(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim(),
                        (a, b) -> a + "," + b);
            }
        }
        byte[] body = java.util.Arrays.copyOfRange(raw, end + 4, raw.length);
        if (headers.getOrDefault("transfer-encoding", "").contains("chunked")) {
            body = dechunk(body);
        }
        return new Answer(status, headers, new String(body, StandardCharsets.UTF_8), null);
    }

    private static byte[] dechunk(byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int i = 0;
        while (i < body.length) {
            int lineEnd = i;
            while (lineEnd + 1 < body.length && !(body[lineEnd] == '\r' && body[lineEnd + 1] == '\n')) {
                lineEnd++;
            }
            String size = new String(body, i, lineEnd - i, StandardCharsets.ISO_8859_1).split(";")[0].trim();
            int n;
            try {
                n = Integer.parseInt(size, 16);
            } catch (NumberFormatException e) {
                break;
            }
            if (n == 0) {
                break;
            }
            int start = lineEnd + 2;
            out.write(body, start, Math.min(n, body.length - start));
            i = start + n + 2;
        }
        return out.toByteArray();
    }

    // ---------------------------------------------------------------- judging and reporting

    static final class Summary {
        /** (app, status, content type, family, kind) to count. */
        final Map<String, Integer> answers = new TreeMap<>();
        /** (app, what went wrong, kind) to count and first example. */
        final Map<String, Integer> failureCounts = new TreeMap<>();
        final Map<String, String> firstFailure = new TreeMap<>();
        final Map<String, java.util.Set<String>> failureFamilies = new TreeMap<>();
        final List<String> failures = new ArrayList<>();
        long startHead;
        long endHead;

        void record(Probe probe, Answer answer, boolean changedStore) {
            String app = probe.app().name().toLowerCase(Locale.ROOT);
            answers.merge(String.format("%-7s %3d %-26s %-12s %s", app, answer.status(), answer.contentType(),
                    probe.family(), probe.kind()), 1, Integer::sum);
            List<String> wrong = new ArrayList<>();
            if (answer.status() == 0) {
                wrong.add("no answer");
            } else if (answer.status() >= 500) {
                wrong.add(answer.status() + " answer");
            } else if (answer.status() < 400 && probe.expect() == Expect.REFUSE) {
                wrong.add("not refused (" + answer.status() + ")");
            }
            if (answer.status() >= 400 && answer.status() < 500) {
                String problem = problemFlaw(answer);
                if (problem != null) {
                    wrong.add(problem);
                }
            }
            if (changedStore) {
                wrong.add("changed the event store");
            }
            for (String w : wrong) {
                String key = String.format("%-7s | %-44s | %s", app, w, probe.kind());
                failureCounts.merge(key, 1, Integer::sum);
                failureFamilies.computeIfAbsent(key, k -> new java.util.TreeSet<>()).add(probe.family());
                firstFailure.putIfAbsent(key, probe.describe() + "\n        -> " + answer.status() + " "
                        + answer.headers().getOrDefault("content-type", "-") + " "
                        + (answer.error() != null ? answer.error() : printable(answer.body(), 220)));
                failures.add(key);
            }
        }

        /** Why a 4xx is not a proper problem answer, or null when it is one. */
        private static String problemFlaw(Answer answer) {
            if (!answer.contentType().equals("application/problem+json")) {
                return "4xx not problem+json (" + answer.contentType() + ")";
            }
            JsonNode body;
            try {
                body = JSON.readTree(answer.body());
            } catch (Exception e) {
                return "4xx problem body not JSON";
            }
            List<String> missing = new ArrayList<>();
            if (body.get("type") == null || !body.get("type").isString() || body.get("type").asString().isBlank()) {
                missing.add("type");
            }
            if (body.get("status") == null || body.get("status").asInt() != answer.status()) {
                missing.add("status");
            }
            if (body.get("correlationId") == null || body.get("correlationId").asString().isBlank()) {
                missing.add("correlationId");
            }
            return missing.isEmpty() ? null : "4xx problem without " + String.join(",", missing);
        }

        void finalHead(long start, long end) {
            startHead = start;
            endHead = end;
        }

        String render(int sent, Duration took) {
            StringBuilder b = new StringBuilder();
            b.append("\n==== MalformedRequestFuzzTest, seed ").append(SEED).append(": ").append(sent)
                    .append(" requests in ").append(took.toSeconds()).append(" s; event store head ")
                    .append(startHead).append(" -> ").append(endHead).append('\n');
            b.append("---- answers: app status content-type family kind: count\n");
            answers.forEach((k, v) -> b.append("  ").append(k).append(": ").append(v).append('\n'));
            return b.append(failureSection()).toString();
        }

        String failureSection() {
            StringBuilder b = new StringBuilder();
            b.append("---- failures: app | what went wrong | kind: count [families], first example\n");
            if (failureCounts.isEmpty()) {
                b.append("  none\n");
            }
            failureCounts.forEach((k, v) -> b.append("  ").append(k).append(": ").append(v).append(' ')
                    .append(failureFamilies.get(k)).append("\n      e.g. ").append(firstFailure.get(k)).append('\n'));
            b.append("---- ").append(failures.size()).append(" failures in ").append(failureCounts.size()).append(" kinds\n");
            return b.toString();
        }
    }
}
