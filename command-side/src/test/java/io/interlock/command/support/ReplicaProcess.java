package io.interlock.command.support;

import io.interlock.command.CommandSideApplication;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A command-side replica in an OS process of its own, started from the test classpath, so that a
 * test can kill it as a crash would: {@link #kill()} sends SIGKILL, and nothing in the process
 * gets to finish or clean up. Its output goes to {@code target/replica-<name>.log}.
 */
public final class ReplicaProcess implements Endpoint, AutoCloseable {

    private final String name;
    private final int port;
    private final Process process;
    private final Path log;

    private ReplicaProcess(String name, int port, Process process, Path log) {
        this.name = name;
        this.port = port;
        this.process = process;
        this.log = log;
    }

    /** Starts the process; {@link #awaitHealthy} waits for it. The schema must exist already. */
    public static ReplicaProcess start(String name, String schema, Map<String, String> extraProperties)
            throws IOException {
        int port = freePort();
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("spring.profiles.active", "postgres");
        properties.put("server.port", String.valueOf(port));
        properties.put("spring.datasource.url", TestDatabase.url(schema));
        properties.put("spring.datasource.username", TestDatabase.USER);
        properties.put("spring.flyway.schemas", schema);
        properties.put("spring.application.name", "command-side-" + name);
        properties.put("spring.datasource.hikari.maximum-pool-size", "8");
        properties.put("db-scheduler.polling-interval", "500ms");
        properties.put("logging.level.root", "WARN");
        properties.put("logging.level.io.interlock", "INFO");
        properties.putAll(extraProperties);
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-Daxoniq.update-checker.disabled=true",
                "-cp", classpath, CommandSideApplication.class.getName()));
        properties.forEach((key, value) -> command.add("--" + key + "=" + value));
        Path log = Path.of("target", "replica-" + name + ".log").toAbsolutePath();
        Files.createDirectories(log.getParent());
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        return new ReplicaProcess(name, port, process, log);
    }

    public ReplicaProcess awaitHealthy(Duration within) throws Exception {
        Instant giveUp = Instant.now().plus(within);
        while (Instant.now().isBefore(giveUp)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("replica " + name + " exited:\n" + tail());
            }
            try {
                if (Api.anonymous().get(this, "/actuator/health").status() == 200) {
                    return this;
                }
            } catch (IllegalStateException notYet) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("replica " + name + " not healthy within " + within + ":\n" + tail());
    }

    public String name() {
        return name;
    }

    public long pid() {
        return process.pid();
    }

    @Override
    public String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    /** SIGKILL, as the kernel's OOM killer or a lost node would: no shutdown hook runs. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    public String tail() {
        try {
            String text = Files.readString(log);
            return text.substring(Math.max(0, text.length() - 4000));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
