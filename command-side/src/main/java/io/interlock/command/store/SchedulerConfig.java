package io.interlock.command.store;

import com.github.kagkarlsson.scheduler.SchedulerName;
import com.github.kagkarlsson.scheduler.boot.config.DbSchedulerCustomizer;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * db-scheduler settings that its properties cannot express. How fast a dead replica's executions
 * are taken over is set in {@code command-side.yml} ({@code db-scheduler.heartbeat-interval} and
 * {@code missed-heartbeats-limit}).
 */
@Configuration
public class SchedulerConfig {

    /**
     * Each process gets a name of its own. db-scheduler's default is the host name, which two
     * replicas in one pod, on one host or behind one container name share, so {@code picked_by}
     * could not tell which of them holds an execution. Host, pid and a random suffix (a restarted
     * process may reuse a pid) keep it unique; {@code db-scheduler.scheduler-name} still wins when set.
     */
    @Bean
    SchedulerIdentity schedulerIdentity(@Value("${db-scheduler.scheduler-name:}") String configured) {
        return new SchedulerIdentity(configured.isBlank() ? uniqueName() : configured);
    }

    @Bean
    DbSchedulerCustomizer uniqueSchedulerName(SchedulerIdentity identity) {
        return new DbSchedulerCustomizer() {
            @Override
            public Optional<SchedulerName> schedulerName() {
                return Optional.of(new SchedulerName.Fixed(identity.name()));
            }
        };
    }

    static String uniqueName() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "unknown-host";
        }
        byte[] suffix = new byte[3];
        ThreadLocalRandom.current().nextBytes(suffix);
        return host + "-" + ProcessHandle.current().pid() + "-" + HexFormat.of().formatHex(suffix);
    }

    /** The name this process's scheduler writes into {@code scheduled_tasks.picked_by}. */
    public record SchedulerIdentity(String name) {
    }
}
