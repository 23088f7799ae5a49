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

    private Bench() {
    }

    public static void main(String[] args) throws Exception {
        boolean quick = List.of(args).contains("--quick");
        Path out = Path.of(List.of(args).contains("--out") ? args[List.of(args).indexOf("--out") + 1] : "bench-results");
        Instant started = Instant.now();
        List<Result> results = new ArrayList<>();
        try (Replica replica = Replica.start("bench", TestDatabase.schema("bench"), Map.of())) {
            Duration window = quick ? Duration.ofSeconds(8) : Duration.ofSeconds(30);
            results.addAll(AllocationBenchmark.run(replica, 16, window));
            results.addAll(ContentionBenchmark.run(replica, 64, quick ? 10 : 50));
            results.addAll(ReplayBenchmark.run(replica, TestDatabase.schema("bench"), quick ? 10_000 : 100_000, quick ? 500 : 2_000));
        }
        write(out, quick, started, results);
        System.out.println(Files.readString(out.resolve("results.md")));
        System.exit(0);
    }

    private static void write(Path out, boolean quick, Instant started, List<Result> results) throws Exception {
        Files.createDirectories(out);
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("started", started.toString());
        report.put("mode", quick ? "quick" : "full");
        report.put("machine", machine());
        report.put("results", results);
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
        Files.writeString(out.resolve("results.md"), table.toString());
    }

    private static String machine() {
        return Runtime.getRuntime().availableProcessors() + " cores, "
                + Runtime.getRuntime().maxMemory() / (1024 * 1024) + " MiB max heap, Java "
                + System.getProperty("java.version") + ", " + System.getProperty("os.name");
    }
}
