package io.interlock.bench;

import com.zaxxer.hikari.HikariDataSource;
import io.interlock.lifecycle.TenantIds;
import io.interlock.command.gateway.CommandDispatcher;
import io.interlock.command.instance.InstanceCommands.CompleteInstanceTask;
import io.interlock.command.instance.InstanceCommands.CreateInstance;
import io.interlock.command.support.Replica;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Command throughput and latency: instance action cycles on 1,000 instances at 1, 4,
 * 16 and 64 clients, in-process through the command gateway, over HTTP, and as the plain JDBC
 * compare-and-swap baseline, beside the physical ceiling of single-row commits. Each client owns
 * a disjoint slice of the instances, so nothing conflicts and the figures show the cost of a
 * command, not of contention (that is the contention case).
 *
 * <p>The variants of one concurrency take turns in short slices, several rounds each, and each
 * figure sums its slices: on a shared machine the load (and PostgreSQL's fsync time) drifts over
 * tens of seconds, and taking turns spreads that drift over every variant alike. Instances
 * gain four events per cycle, so histories grow during the run; each row states the mean
 * history length its cells started from.
 */
final class ThroughputBenchmark {

    static final int INSTANCES = 1_000;
    static final int[] CONCURRENCIES = {1, 4, 16, 64};
    private static final String IN_PROCESS = "in-process";
    private static final String HTTP = "HTTP";
    private static final String BASELINE = "JDBC CAS";
    private static final int ROUND_TRIP_CLIENTS = 16;
    static final String CHART = "throughput.svg";

    private record Row(int clients, double meanHistory, Map<String, ClosedLoop.Measurement> variants,
                       ClosedLoop.Measurement ceiling) {
        double ratio(String variant) {
            return variants.get(variant).perSecond() / variants.get(BASELINE).perSecond();
        }

        double ofCeiling(String variant) {
            return variants.get(variant).perSecond() / ceiling.perSecond();
        }
    }

    private ThroughputBenchmark() {
    }

    static Section run(Replica replica, boolean quick) throws Exception {
        int rounds = quick ? 2 : 6;
        Duration warmup = quick ? Duration.ofMillis(250) : Duration.ofMillis(500);
        Duration slice = quick ? Duration.ofSeconds(1) : Duration.ofSeconds(2);
        CommandDispatcher commands = replica.bean(CommandDispatcher.class);
        // the command side may wrap its pool (lazy connections); the baseline copies the pool itself
        HikariDataSource commandPool = replica.bean(DataSource.class).unwrap(HikariDataSource.class);
        System.out.println("bench: " + Instant.now() + " throughput: creating " + INSTANCES + " instances");
        List<String> ids = createActiveInstances(commands, INSTANCES);
        List<Row> rows = new ArrayList<>();
        Map<String, RoundTripSweep.PerCommand> roundTrips = new LinkedHashMap<>();
        Map<String, String> database;
        try (HikariDataSource jdbc = poolLike(commandPool)) {
            database = settings(jdbc);
            CasBaseline baseline = new CasBaseline(jdbc);
            baseline.setUp(ids);
            CeilingBenchmark.setUp(jdbc);
            Map<String, InstanceCycle> variants = new LinkedHashMap<>();
            variants.put(IN_PROCESS, new GatewayCycle(commands));
            variants.put(HTTP, new HttpCycle(replica));
            variants.put(BASELINE, baseline);
            for (int clients : CONCURRENCIES) {
                double meanHistory = meanHistory(jdbc);
                Map<String, ClosedLoop.Measurement> cells = new LinkedHashMap<>();
                ClosedLoop.Measurement ceiling = null;
                for (int round = 0; round < rounds; round++) {
                    for (Map.Entry<String, InstanceCycle> variant : variants.entrySet()) {
                        cells.merge(variant.getKey(), ClosedLoop.run(clients,
                                c -> variant.getValue().over(ClosedLoop.slice(ids, c, clients)), warmup, slice),
                                ClosedLoop.Measurement::plus);
                    }
                    ClosedLoop.Measurement inserts = CeilingBenchmark.measure(jdbc, clients, warmup, slice);
                    ceiling = ceiling == null ? inserts : ceiling.plus(inserts);
                }
                cells.forEach(ThroughputBenchmark::progress);
                rows.add(new Row(clients, meanHistory, cells, progress("ceiling", ceiling)));
            }
            for (String variant : List.of(IN_PROCESS, HTTP)) {
                RoundTripSweep.PerCommand trips = RoundTripSweep.measure(variants.get(variant), ids, ROUND_TRIP_CLIENTS);
                System.out.printf(Locale.ROOT, "bench: %s round trips, %s, %d clients: %.2f per task start, %.2f per"
                        + " report (background %.2f / %.2f)%n", Instant.now(), variant, ROUND_TRIP_CLIENTS, trips.start(),
                        trips.report(), trips.backgroundStart(), trips.backgroundReport());
                roundTrips.put(variant, trips);
            }
        }
        String setup = INSTANCES + " instances; cycle = shelve, complete, unshelve, complete; pool "
                + commandPool.getMaximumPoolSize() + " connections for the command side and for the baseline;"
                + " each variant measured in " + rounds + " slices of " + slice.toSeconds() + " s (after a "
                + warmup.toMillis() / 1000.0 + " s warm-up each), taking turns;"
                + " PostgreSQL " + database.get("server_version") + ", synchronous_commit "
                + database.get("synchronous_commit") + ", fsync " + database.get("fsync");
        List<Result> results = new ArrayList<>();
        results.add(Result.of("throughput", "setup", "instances", INSTANCES,
                "poolSize", commandPool.getMaximumPoolSize(), "rounds", rounds, "sliceSeconds", slice.toSeconds(),
                "warmupSeconds", warmup.toMillis() / 1000.0, "postgres", database.get("server_version"),
                "synchronousCommit", database.get("synchronous_commit"), "fsync", database.get("fsync")));
        for (Row row : rows) {
            row.variants().forEach((name, m) -> results.add(figures("throughput", name, m, "commands",
                    "meanHistoryEvents", round(row.meanHistory(), 1),
                    "ratioToBaseline", round(row.ratio(name), 3), "fractionOfCeiling", round(row.ofCeiling(name), 3))));
            results.add(figures("ceiling", "single-row insert", row.ceiling(), "transactions"));
        }
        roundTrips.forEach((variant, trips) -> results.add(Result.of("round trips", variant + ", "
                + ROUND_TRIP_CLIENTS + " clients", "perTaskStart", round(trips.start(), 2),
                "perReport", round(trips.report(), 2), "backgroundPerTaskStart", round(trips.backgroundStart(), 2),
                "backgroundPerReport", round(trips.backgroundReport(), 2))));
        return new Section(results, markdown(setup, rows, roundTrips), Map.of(CHART, chart(rows)));
    }

    /** One line per figure as its row ends, to follow a long run. */
    private static ClosedLoop.Measurement progress(String variant, ClosedLoop.Measurement m) {
        System.out.printf(Locale.ROOT, "bench: %s throughput, %s, %d clients: %.0f/s, p99 %.2f ms, %d errors,"
                        + " JVM CPU %.2f ms each, %.2f cores%n", Instant.now(), variant, m.clients(), m.perSecond(),
                m.latencies().percentileMillis(99), m.errors(), m.cpuMillisPerCommand(), m.cpuCores());
        return m;
    }

    /** A pool for the baseline and the ceiling on the same database, schema and size as the command side's. */
    private static HikariDataSource poolLike(HikariDataSource commandPool) {
        HikariDataSource pool = new HikariDataSource();
        pool.setPoolName("bench-jdbc");
        pool.setJdbcUrl(commandPool.getJdbcUrl());
        pool.setUsername(commandPool.getUsername());
        pool.setPassword(commandPool.getPassword());
        pool.setMaximumPoolSize(commandPool.getMaximumPoolSize());
        pool.setAutoCommit(true);
        return pool;
    }

    /** Creates the instances and completes their spawning, in-process and in parallel, to be quick. */
    private static List<String> createActiveInstances(CommandDispatcher commands, int count) throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 6);
        List<String> ids = new ArrayList<>();
        List<Callable<Object>> creations = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String id = "tp-" + run + "-" + i;
            ids.add(id);
            creations.add(() -> {
                String taskId = UUID.randomUUID().toString();
                String instanceId = TenantIds.qualify(GatewayCycle.TENANT, id);
                commands.send(new CreateInstance(instanceId, GatewayCycle.TENANT, "bench", "m1", taskId));
                return commands.send(new CompleteInstanceTask(instanceId, taskId, null, null));
            });
        }
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            for (Future<Object> creation : pool.invokeAll(creations)) {
                creation.get();
            }
        } finally {
            pool.shutdown();
        }
        return ids;
    }

    private static Map<String, String> settings(DataSource pool) throws Exception {
        Map<String, String> settings = new LinkedHashMap<>();
        try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
            for (String name : List.of("server_version", "synchronous_commit", "fsync")) {
                try (ResultSet r = s.executeQuery("show " + name)) {
                    r.next();
                    settings.put(name, r.getString(1));
                }
            }
        }
        return settings;
    }

    /** Events per bench instance: what the command side replays to load one (no snapshots yet). */
    private static double meanHistory(DataSource pool) throws Exception {
        try (Connection c = pool.getConnection(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("select count(*) from domain_event_entry where aggregate_identifier like '%:tp-%'")) {
            r.next();
            return r.getLong(1) / (double) INSTANCES;
        }
    }

    private static Result figures(String benchmark, String variant, ClosedLoop.Measurement m, String unit,
                                  Object... more) {
        List<Object> figures = new ArrayList<>(List.of("clients", m.clients(), unit, m.commands(),
                "seconds", m.seconds(), unit + "PerSecond", round(m.perSecond(), 1),
                "p50Ms", m.latencies().percentileMillis(50), "p99Ms", m.latencies().percentileMillis(99),
                "p999Ms", m.latencies().percentileMillis(99.9), "errors", m.errors(),
                "jvmCpuMsPer" + unit.substring(0, unit.length() - 1), round(m.cpuMillisPerCommand(), 3),
                "jvmCpuCores", round(m.cpuCores(), 2),
                "serverCpuMsPer" + unit.substring(0, unit.length() - 1), round(m.serverCpuMillisPerCommand(), 3)));
        figures.addAll(List.of(more));
        return Result.of(benchmark, variant + ", " + m.clients() + " clients", figures.toArray());
    }

    private static String chart(List<Row> rows) {
        Map<String, Map<Integer, Double>> lines = ThroughputChart.lines();
        for (String variant : rows.get(0).variants().keySet()) {
            Map<Integer, Double> line = new LinkedHashMap<>();
            rows.forEach(row -> line.put(row.clients(), row.variants().get(variant).perSecond()));
            lines.put(variant, line);
        }
        Map<Integer, Double> ceiling = new LinkedHashMap<>();
        rows.forEach(row -> ceiling.put(row.clients(), row.ceiling().perSecond()));
        lines.put("ceiling (insert tx/s)", ceiling);
        return ThroughputChart.svg("Instance commands per second against clients", rows.stream().map(Row::clients).toList(),
                lines);
    }

    private static String markdown(String setup, List<Row> rows, Map<String, RoundTripSweep.PerCommand> roundTrips) {
        StringBuilder md = new StringBuilder("### Command throughput and latency\n\n").append(setup).append(".\n\n");
        md.append("| clients | history |");
        for (String variant : rows.get(0).variants().keySet()) {
            md.append(' ').append(variant).append(" cmd/s | p50 / p99 / p99.9 ms |");
        }
        md.append("\n|---:|---:|").append("---:|---:|".repeat(rows.get(0).variants().size())).append('\n');
        for (Row row : rows) {
            md.append("| ").append(row.clients()).append(" | ").append(format("%.0f", row.meanHistory())).append(" |");
            row.variants().values().forEach(m -> md.append(' ').append(format("%.0f", m.perSecond())).append(" | ")
                    .append(latencies(m)).append(" |"));
            md.append('\n');
        }
        md.append("\n*history*: mean events per instance when the row started (each command appends one).\n\n"
                + "### Against the baseline and the ceiling\n\n"
                + "*JVM CPU*: this process only (clients, and the command side for in-process and HTTP);"
                + " PostgreSQL's own CPU is not in it. *HTTP server CPU*: the same less the client threads'"
                + " own CPU (sending and parsing requests), so the server's cost per request alone.\n\n")
                .append("| clients | in-process / CAS | HTTP / CAS | insert tx/s (ceiling) | p50 / p99 / p99.9 ms |"
                        + " in-process of ceiling | HTTP of ceiling | CAS of ceiling | JVM CPU ms per cmd,"
                        + " in-process / HTTP / CAS | HTTP server CPU ms per cmd | errors |\n")
                .append("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Row row : rows) {
            int errors = row.variants().values().stream().mapToInt(ClosedLoop.Measurement::errors).sum()
                    + row.ceiling().errors();
            md.append("| ").append(row.clients())
                    .append(" | ").append(format("%.2f×", row.ratio(IN_PROCESS)))
                    .append(" | ").append(format("%.2f×", row.ratio(HTTP)))
                    .append(" | ").append(format("%.0f", row.ceiling().perSecond()))
                    .append(" | ").append(latencies(row.ceiling()))
                    .append(" | ").append(format("%.1f%%", 100 * row.ofCeiling(IN_PROCESS)))
                    .append(" | ").append(format("%.1f%%", 100 * row.ofCeiling(HTTP)))
                    .append(" | ").append(format("%.1f%%", 100 * row.ofCeiling(BASELINE)))
                    .append(" | ").append(format("%.2f / %.2f / %.2f", row.variants().get(IN_PROCESS).cpuMillisPerCommand(),
                            row.variants().get(HTTP).cpuMillisPerCommand(), row.variants().get(BASELINE).cpuMillisPerCommand()))
                    .append(" | ").append(format("%.2f", row.variants().get(HTTP).serverCpuMillisPerCommand()))
                    .append(" | ").append(errors).append(" |\n");
        }
        md.append("\n![throughput against clients](").append(CHART).append(")\n\n### Database round trips per command\n\n")
                .append(ROUND_TRIP_CLIENTS).append(" clients, each shelving, reporting, unshelving and reporting every"
                        + " instance of its slice; round trips counted under the pool (statements, a JDBC batch as one,"
                        + " and commits), divided by the commands of each sweep. The baseline makes one per command."
                        + " *Background*: the replica's other threads in the same sweeps (the sagas' event processors"
                        + " reading what each commit appended, db-scheduler's polls).\n\n"
                        + "| variant | per task start | per report | background, per start / report |\n|---|---:|---:|---:|\n");
        roundTrips.forEach((variant, trips) -> md.append("| ").append(variant).append(" | ")
                .append(format("%.2f", trips.start())).append(" | ").append(format("%.2f", trips.report()))
                .append(" | ").append(format("%.2f / %.2f", trips.backgroundStart(), trips.backgroundReport())).append(" |\n"));
        return md.toString();
    }

    private static String latencies(ClosedLoop.Measurement m) {
        Latencies l = m.latencies();
        return format("%.2f / %.2f / %.2f", l.percentileMillis(50), l.percentileMillis(99), l.percentileMillis(99.9));
    }

    private static String format(String pattern, Object... values) {
        return String.format(Locale.ROOT, pattern, values);
    }

    private static double round(double value, int decimals) {
        double scale = Math.pow(10, decimals);
        return Math.round(value * scale) / scale;
    }
}
