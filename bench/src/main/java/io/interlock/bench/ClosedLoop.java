package io.interlock.bench;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/**
 * The one harness every throughput figure is taken with, so the variants differ only in what a
 * command is. Each client sends its next command as soon as the last one answered (a closed
 * loop), and only ever stops between two cycles, so whatever it works on is left ready for the
 * next measurement.
 */
final class ClosedLoop {

    /** One client's work: runs one whole cycle, sending each command through {@code timer}. */
    @FunctionalInterface
    interface Client {
        void cycle(Timer timer) throws Exception;
    }

    /** Times one command; a command that throws is an error and abandons the rest of its cycle. */
    @FunctionalInterface
    interface Timer {
        <T> T time(Callable<T> command) throws Exception;
    }

    /**
     * What one cell measured. Only commands that started after the warm-up and answered inside the
     * window count, so throughput is over exactly {@code seconds}; errors count at any time.
     */
    record Measurement(int clients, int commands, double seconds, Latencies latencies, int errors, long cpuNanos,
                       long clientCpuNanos) {
        double perSecond() {
            return commands / seconds;
        }

        /**
         * CPU this JVM spent per command in the window: clients and (in-process) the command side
         * together. On a machine with few cores this, not the database, can be what limits a variant.
         */
        double cpuMillisPerCommand() {
            return cpuNanos / 1e6 / commands;
        }

        /**
         * CPU per command of everything but the client threads: over HTTP, the server's own cost
         * (Tomcat, security, MVC, JSON and the command), which the clients' sending and parsing
         * would otherwise blur.
         */
        double serverCpuMillisPerCommand() {
            return (cpuNanos - clientCpuNanos) / 1e6 / commands;
        }

        /** This measurement and {@code other} as one, as if their windows were back to back. */
        Measurement plus(Measurement other) {
            Latencies both = new Latencies();
            both.addAll(latencies);
            both.addAll(other.latencies);
            return new Measurement(clients, commands + other.commands, seconds + other.seconds, both,
                    errors + other.errors, cpuNanos + other.cpuNanos, clientCpuNanos + other.clientCpuNanos);
        }

        /** Cores this JVM kept busy on average during the window. */
        double cpuCores() {
            return cpuNanos / 1e9 / seconds;
        }
    }

    private ClosedLoop() {
    }

    static Measurement run(int clients, IntFunction<Client> clientOf, Duration warmup, Duration window)
            throws Exception {
        Latencies latencies = new Latencies();
        AtomicInteger errors = new AtomicInteger();
        long measureFrom = System.nanoTime() + warmup.toNanos();
        long end = measureFrom + window.toNanos();
        Timer timer = new Timer() {
            @Override
            public <T> T time(Callable<T> command) throws Exception {
                long t0 = System.nanoTime();
                T answer;
                try {
                    answer = command.call();
                } catch (Exception e) {
                    errors.incrementAndGet();
                    throw e;
                }
                long t1 = System.nanoTime();
                if (t0 >= measureFrom && t1 <= end) {
                    latencies.record(t1 - t0);
                }
                return answer;
            }
        };
        List<Thread> clientThreads = new java.util.concurrent.CopyOnWriteArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(clients, task -> {
            Thread thread = new Thread(task, "bench-client-" + clientThreads.size());
            clientThreads.add(thread);
            return thread;
        });
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                Client client = clientOf.apply(c);
                running.add(pool.submit(() -> {
                    while (System.nanoTime() < end) {
                        try {
                            client.cycle(timer);
                        } catch (Exception e) {
                            // counted by the timer; the client moves on to its next cycle
                            if (errors.get() <= 3) {
                                System.err.println("bench: command failed: " + e);
                            }
                        }
                    }
                    return null;
                }));
            }
            long cpuFrom = processCpuAt(measureFrom);
            long clientsFrom = threadsCpu(clientThreads);
            long cpuNanos = processCpuAt(end) - cpuFrom;
            long clientCpuNanos = threadsCpu(clientThreads) - clientsFrom;
            for (Future<?> client : running) {
                client.get();
            }
            return new Measurement(clients, latencies.count(), window.toNanos() / 1e9, latencies, errors.get(),
                    cpuNanos, clientCpuNanos);
        } finally {
            pool.shutdownNow();
        }
    }

    private static long threadsCpu(List<Thread> threads) {
        long sum = 0;
        for (Thread thread : threads) {
            long cpu = ManagementFactory.getThreadMXBean().getThreadCpuTime(thread.getId());
            sum += Math.max(cpu, 0);
        }
        return sum;
    }

    private static long processCpuAt(long nanoTime) throws InterruptedException {
        long wait = nanoTime - System.nanoTime();
        if (wait > 0) {
            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
        }
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /** The ids client {@code client} of {@code clients} owns: disjoint, so clients never conflict. */
    static <T> List<T> slice(List<T> all, int client, int clients) {
        List<T> mine = new ArrayList<>();
        for (int i = client; i < all.size(); i += clients) {
            mine.add(all.get(i));
        }
        return mine;
    }
}
