package io.interlock.bench;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;

/**
 * The physical ceiling: how many single-row transactions this PostgreSQL commits per second at a
 * given concurrency, with the same harness and pool as the baseline. Each command of any variant
 * commits at least one transaction, so every throughput figure reads as a fraction of this one.
 */
final class CeilingBenchmark {

    private CeilingBenchmark() {
    }

    /** A plain table with no index: an insert costs a heap write and a commit, nothing else. */
    static void setUp(DataSource pool) throws Exception {
        try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
            s.execute("drop table if exists bench_commit");
            s.execute("create table bench_commit (client int not null, n bigint not null)");
        }
    }

    static ClosedLoop.Measurement measure(DataSource pool, int clients, Duration warmup, Duration window)
            throws Exception {
        return ClosedLoop.run(clients, client -> {
            long[] n = {0};
            return timer -> timer.time(() -> {
                try (Connection c = pool.getConnection();
                     PreparedStatement insert = c.prepareStatement("insert into bench_commit (client, n) values (?, ?)")) {
                    insert.setInt(1, client);
                    insert.setLong(2, n[0]++);
                    return insert.executeUpdate();
                }
            });
        }, warmup, window);
    }
}
