package io.interlock.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Latencies of one kind of answer, thread-safe to record, summarised in milliseconds. */
final class Latencies {

    private final List<Long> nanos = Collections.synchronizedList(new ArrayList<>());

    void record(long elapsedNanos) {
        nanos.add(elapsedNanos);
    }

    /** Runs the call and records how long it took. */
    void time(Runnable call) {
        long t0 = System.nanoTime();
        call.run();
        record(System.nanoTime() - t0);
    }

    /** Adds every latency of {@code other}, to summarise several measurements as one. */
    void addAll(Latencies other) {
        List<Long> theirs;
        synchronized (other.nanos) {
            theirs = new ArrayList<>(other.nanos);
        }
        nanos.addAll(theirs);
    }

    int count() {
        return nanos.size();
    }

    double percentileMillis(double p) {
        List<Long> sorted;
        synchronized (nanos) {
            sorted = new ArrayList<>(nanos);
        }
        if (sorted.isEmpty()) {
            return Double.NaN;
        }
        Collections.sort(sorted);
        int index = (int) Math.min(sorted.size() - 1, Math.ceil(p / 100.0 * sorted.size()) - 1);
        return Math.round(sorted.get(Math.max(0, index)) / 10_000.0) / 100.0;
    }
}
