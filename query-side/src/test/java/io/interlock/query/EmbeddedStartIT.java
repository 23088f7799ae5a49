package io.interlock.query;

import io.interlock.command.support.Api;
import io.interlock.command.support.Endpoint;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's run command, exactly as a new user runs it: {@code ./interlock} starts both
 * packaged jars on the embedded H2 default, with their production classpaths, and they work
 * together. Runs after packaging, during {@code mvn verify}.
 */
class EmbeddedStartIT {

    private Process interlock;

    @AfterEach
    void stop() throws InterruptedException {
        if (interlock != null) {
            interlock.descendants().forEach(ProcessHandle::destroy);
            interlock.destroy();
            interlock.waitFor(30, TimeUnit.SECONDS);
            interlock.descendants().forEach(ProcessHandle::destroyForcibly);
        }
    }

    @Test
    void theStartScriptRunsBothAppsOnTheEmbeddedDatabase(@TempDir Path home) throws Exception {
        Path root = Path.of("").toAbsolutePath().getParent();
        assertThat(root.resolve("interlock")).exists();
        int commandPort = freePort();
        int queryPort = freePort();
        ProcessBuilder builder = new ProcessBuilder("bash", root.resolve("interlock").toString())
                .directory(root.toFile()).redirectErrorStream(true);
        builder.environment().put("INTERLOCK_HOME", home.toString());
        builder.environment().put("INTERLOCK_COMMAND_PORT", String.valueOf(commandPort));
        builder.environment().put("INTERLOCK_QUERY_PORT", String.valueOf(queryPort));
        builder.environment().put("INTERLOCK_NO_BUILD", "1");
        interlock = builder.start();

        String banner = awaitBanner(interlock, Duration.ofMinutes(3), home);
        assertThat(banner).contains("http://127.0.0.1:" + commandPort, "http://127.0.0.1:" + queryPort,
                "alice:alice-secret");
        assertThat(Files.list(home).map(p -> p.getFileName().toString())).anyMatch(n -> n.startsWith("interlock"));

        Endpoint command = path -> "http://127.0.0.1:" + commandPort + path;
        Endpoint query = path -> "http://127.0.0.1:" + queryPort + path;
        Api.Response created = Api.as("alice").post(command, "/v1/instances",
                "{\"id\":\"smoke-1\",\"name\":\"smoke\",\"flavor\":\"m1\"}");
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        Api.Response spawned = Api.as("agent").post(command,
                "/v1/instances/acme:smoke-1/tasks/" + created.field("taskId") + "/complete");
        assertThat(spawned.status()).isEqualTo(200);

        Api.Response view = Api.as("alice").get(query, "/v1/instances/smoke-1?minVersion=1");
        assertThat(view.status()).as(view.text()).isEqualTo(200);
        assertThat(view.field("vmState")).isEqualTo("ACTIVE");
        Api.Response audit = Api.as("auditor").get(query, "/v1/audit/instances/acme:smoke-1/events");
        assertThat(audit.json().findValuesAsString("type")).containsExactly("InstanceCreated", "InstanceTaskCompleted");
    }

    private static String awaitBanner(Process process, Duration within, Path home) throws Exception {
        StringBuilder output = new StringBuilder();
        CompletableFuture<Boolean> ready = CompletableFuture.supplyAsync(() -> {
            try (BufferedReader reader = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    synchronized (output) {
                        output.append(line).append('\n');
                    }
                    if (line.contains("Press Ctrl-C")) {
                        return true;
                    }
                }
                return false;
            } catch (IOException e) {
                return false;
            }
        });
        Instant giveUp = Instant.now().plus(within);
        while (!ready.isDone() && Instant.now().isBefore(giveUp)) {
            Thread.sleep(200);
        }
        synchronized (output) {
            assertThat(ready.isDone() && ready.get()).as("./interlock did not come up:\n" + output + logs(home))
                    .isTrue();
            return output.toString();
        }
    }

    private static String logs(Path home) throws IOException {
        Path logs = home.resolve("logs");
        if (!Files.isDirectory(logs)) {
            return "";
        }
        StringBuilder text = new StringBuilder();
        try (var files = Files.list(logs)) {
            for (Path log : files.toList()) {
                String content = Files.readString(log);
                text.append("\n--- ").append(log.getFileName()).append(" (tail)\n")
                        .append(content.substring(Math.max(0, content.length() - 3000)));
            }
        }
        return text.toString();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
