package io.interlock.command.metrics;

import io.interlock.lifecycle.Names;
import io.interlock.lifecycle.Rejection;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.axonframework.commandhandling.CommandExecutionException;
import org.axonframework.eventsourcing.IncompatibleAggregateException;
import org.axonframework.messaging.Message;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.modelling.command.AggregateStreamCreationException;
import org.axonframework.modelling.command.ConcurrencyException;
import org.axonframework.modelling.command.ConflictingAggregateVersionException;
import org.axonframework.monitoring.MessageMonitor;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Watches every command on the command bus, whoever sent it (a controller, a saga, a process):
 * how many per resource type and action, accepted or refused and why, how long each took, and
 * how many lost a race on the event store's unique key (and so are sent again by the dispatcher).
 *
 * <p>Cheap on purpose: what a command class says (its resource type, where its action is) is
 * worked out once per class; per command there are two map lookups and a clock read. Tags take
 * their values from closed sets (types, actions, reasons), never from ids.
 */
final class CommandMetrics implements MessageMonitor<Message<?>> {

    static final String COMMANDS = "interlock.commands";
    static final String DURATION = "interlock.command.duration";
    static final String LOST_RACES = "interlock.command.lost.races";

    /** Buckets for the latency histogram: a refusal from a cached aggregate to a slow commit under load. */
    private static final Duration[] BUCKETS = {Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5),
            Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100),
            Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500),
            Duration.ofSeconds(5)};

    private static final String ACCEPTED = "accepted";
    private static final String REJECTED = "rejected";

    private record Outcome(String type, String action, String outcome, String reason) {
    }

    private record Latency(String type, String outcome) {
    }

    private final MeterRegistry registry;
    private final Map<Outcome, Counter> counts = new ConcurrentHashMap<>();
    private final Map<Latency, Timer> timers = new ConcurrentHashMap<>();
    private final Map<String, Counter> lostRaces = new ConcurrentHashMap<>();

    CommandMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public MonitorCallback onMessageIngested(Message<?> message) {
        Shape shape = SHAPES.get(message.getPayloadType());
        String action = shape.action(message.getPayload());
        long started = System.nanoTime();
        return new MonitorCallback() {
            @Override
            public void reportSuccess() {
                record(shape.type, action, ACCEPTED, "none", started);
            }

            @Override
            public void reportFailure(Throwable cause) {
                Throwable failure = cause instanceof CommandExecutionException && cause.getCause() != null
                        ? cause.getCause() : cause;
                if (failure instanceof ConcurrencyException) {
                    lostRaces.computeIfAbsent(shape.type, type -> Counter.builder(LOST_RACES)
                            .description("Commands that lost a race on the event store's unique key to another "
                                    + "writer; the dispatcher sends each again (up to interlock.commands.max-attempts)")
                            .tag("type", type).register(registry)).increment();
                } else {
                    record(shape.type, action, REJECTED, reason(failure), started);
                }
            }

            @Override
            public void reportIgnored() {
            }
        };
    }

    private void record(String type, String action, String outcome, String reason, long started) {
        counts.computeIfAbsent(new Outcome(type, action, outcome, reason), key -> Counter.builder(COMMANDS)
                .description("Commands handled, per resource type and action, accepted or rejected and why")
                .tag("type", key.type()).tag("action", key.action()).tag("outcome", key.outcome())
                .tag("reason", key.reason()).register(registry)).increment();
        timers.computeIfAbsent(new Latency(type, outcome), key -> Timer.builder(DURATION)
                .description("Time from a command's dispatch to its answer, its transaction's commit included")
                .tag("type", key.type()).tag("outcome", key.outcome())
                .serviceLevelObjectives(BUCKETS).register(registry))
                .record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
    }

    /** The problem type a refusal is answered with, or {@code error} for a failure of ours. */
    static String reason(Throwable failure) {
        if (failure instanceof Rejection rejection) {
            return Names.kebab(rejection.reason());
        }
        if (failure instanceof AggregateNotFoundException || failure instanceof IncompatibleAggregateException) {
            return "not-found";
        }
        if (failure instanceof AggregateStreamCreationException) {
            return "already-exists";
        }
        if (failure instanceof ConflictingAggregateVersionException) {
            return "version-mismatch";
        }
        return "error";
    }

    private static final ClassValue<Shape> SHAPES = new ClassValue<>() {
        @Override
        protected Shape computeValue(Class<?> type) {
            return Shape.of(type);
        }
    };

    /**
     * What a command class says about itself: its resource type is its package
     * ({@code io.interlock.command.<type>}), its action the enum in its {@code action} component
     * when it has one ({@code RequestInstanceAction} carries {@code shelve}), else its own name
     * ({@code CompleteInstanceTask} is {@code complete-instance-task}).
     */
    private record Shape(String type, String fixedAction, MethodHandle actionAccessor) {

        private static final String PREFIX = "io.interlock.command.";

        static Shape of(Class<?> command) {
            String pkg = command.getPackageName();
            String type = pkg.startsWith(PREFIX) ? pkg.substring(PREFIX.length()).split("\\.")[0] : "other";
            String name = command.getSimpleName().replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
            MethodHandle accessor = null;
            if (command.isRecord()) {
                for (RecordComponent component : command.getRecordComponents()) {
                    if (component.getName().equals("action") && component.getType().isEnum()) {
                        try {
                            Method read = component.getAccessor();
                            read.setAccessible(true);
                            accessor = MethodHandles.lookup().unreflect(read)
                                    .asType(MethodType.methodType(Object.class, Object.class));
                        } catch (IllegalAccessException | RuntimeException unreadable) {
                            accessor = null;
                        }
                    }
                }
            }
            return new Shape(type, name, accessor);
        }

        String action(Object command) {
            if (actionAccessor == null) {
                return fixedAction;
            }
            try {
                Object action = (Object) actionAccessor.invokeExact(command);
                return action instanceof Enum<?> constant ? Names.kebab(constant) : fixedAction;
            } catch (Throwable e) {
                return fixedAction;
            }
        }
    }
}
