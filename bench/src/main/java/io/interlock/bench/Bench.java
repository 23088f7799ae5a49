package io.interlock.bench;

import io.interlock.command.support.Replica;
import io.interlock.command.support.TestDatabase;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The benchmark command: runs each case against a command side started in this process on the
 * local PostgreSQL (schema {@code <prefix>_bench}, dropped first), and writes
 * {@code bench-results/results.json} and {@code bench-results/results.md}.
 * {@code --quick} runs every case briefly, to be run often; the default run is longer.
 */
public final class Bench {

    /**
     * The replica is sized like a deployment, not like a test: a pool of 16 connections (the tests'
     * 8 leave room for two replicas and a query side), which the throughput baseline copies;
     * keep-alive connections that Tomcat never closes after 100 requests; and task timeouts longer
     * than any run, so deadlines scheduled by one case never fire as load during another. Its
     * database round trips are counted ({@link RoundTrips}).
     */
    private static final Map<String, String> REPLICA = Map.of(
            "spring.datasource.hikari.maximum-pool-size", "16",
            "server.tomcat.max-keep-alive-requests", "-1",
            "interlock.timeouts.instance.default", "PT6H");

    private Bench() {
    }

    public static void main(String[] args) throws Exception {
        boolean quick = List.of(args).contains("--quick");
        Path out = Path.of(List.of(args).contains("--out") ? args[List.of(args).indexOf("--out") + 1] : "bench-results");
        Instant started = Instant.now();
        List<Result> results = new ArrayList<>();
        List<Section> sections = new ArrayList<>();
        try (Replica replica = Replica.start("bench", TestDatabase.schema("bench"), REPLICA,
                new RoundTrips())) {
            Duration window = quick ? Duration.ofSeconds(8) : Duration.ofSeconds(30);
            if (selected(args, "allocation")) {
                results.addAll(AllocationBenchmark.run(replica, 16, window));
            }
            if (selected(args, "contention")) {
                results.addAll(ContentionBenchmark.run(replica, 64, quick ? 10 : 50));
            }
            if (selected(args, "history")) {
                results.addAll(HistoryLengthBenchmark.run(replica, TestDatabase.schema("bench"),
                        new int[]{10, 1_000, 100_000}, quick ? 100 : 500));
            }
            if (selected(args, "throughput")) {
                sections.add(ThroughputBenchmark.run(replica, quick));
            }
            if (selected(args, "replay")) {
                results.addAll(ReplayBenchmark.run(replica, TestDatabase.schema("bench"), quick ? 10_000 : 100_000,
                        quick ? 500 : 2_000));
            }
        }
        write(out, quick, started, results, sections);
        System.out.println(Files.readString(out.resolve("results.md")));
        System.exit(0);
    }

    /** {@code --only a,b} runs just those cases, to look at one figure while tuning it. */
    private static boolean selected(String[] args, String name) {
        int only = List.of(args).indexOf("--only");
        return only < 0 || List.of(args[only + 1].split(",")).contains(name);
    }

    private static void write(Path out, boolean quick, Instant started, List<Result> results, List<Section> sections)
            throws Exception {
        Files.createDirectories(out);
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("started", started.toString());
        report.put("mode", quick ? "quick" : "full");
        report.put("machine", machine());
        List<Result> all = new ArrayList<>(results);
        sections.forEach(section -> all.addAll(section.results()));
        report.put("results", all);
        JsonMapper json = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();
        Files.writeString(out.resolve("results.json"), json.writeValueAsString(report));

        StringBuilder table = new StringBuilder("Interlock benchmark, " + report.get("mode") + " run, " + started
                + ", " + machine() + "\n\n| benchmark | variant | figures |\n|---|---|---|\n");
        for (Result r : results) {
            StringBuilder figures = new StringBuilder();
            r.figures().forEach((k, v) -> figures.append(figures.length() == 0 ? "" : ", ").append(k).append(' ').append(v));
            table.append("| ").append(r.benchmark()).append(" | ").append(r.variant()).append(" | ").append(figures)
                    .append(" |\n");
        }
        sections.forEach(section -> table.append('\n').append(section.markdown()));
        for (Section section : sections) {
            for (Map.Entry<String, String> file : section.files().entrySet()) {
                Files.writeString(out.resolve(file.getKey()), file.getValue());
            }
        }
        Files.writeString(out.resolve("results.md"), table.toString());
    }

    private static String machine() {
        return Runtime.getRuntime().availableProcessors() + " cores, "
                + Runtime.getRuntime().maxMemory() / (1024 * 1024) + " MiB max heap, Java "
                + System.getProperty("java.version") + ", " + System.getProperty("os.name");
    }
}
