package io.interlock.command.store;

import io.interlock.command.store.StoreWrites.EventRow;
import io.interlock.command.store.StoreWrites.TimeoutRow;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.stereotype.Component;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Writes each transaction's events and timeouts when it commits, and commits the transactions
 * that sent no SQL of their own together: a group commit.
 * <p>
 * A command decided from the cached aggregate has nothing else to make atomic with its events, so
 * its caller hands them here and waits. Whoever finds a writer free takes everything queued by
 * then, writes it in one database transaction (one batched insert of the events, one of the
 * timeouts) and commits once; every caller in that group is answered when that commit returns, so
 * an answer still means the events are durable. While one group commits the next one fills: the
 * busier the service, the more each commit carries.
 * <p>
 * A group must not fail whole because one of its commands lost a race on the event store's unique
 * key to another replica, nor wait for long on one that waits for another replica's uncommitted
 * insert of the same key: the group's insert is given {@code stall-timeout} (one second; JDBC
 * counts in seconds). When a group's write fails or times out it is rolled back, and each of its
 * transactions writes itself again alone, on its caller's thread and a connection of its own, so
 * only the loser gets the conflict (and the dispatcher's retry) and only the one that waits,
 * waits. Events are inserted in (aggregate, sequence) order, so two replicas' groups take the
 * unique key's locks in the same order and cannot deadlock on each other.
 * <p>
 * A transaction that sent SQL of its own writes its rows itself, in that transaction, just before
 * it commits.
 */
@Component
public class StoreWriter {

    private static final Comparator<EventRow> KEY_ORDER = Comparator.comparing(EventRow::aggregateIdentifier)
            .thenComparingLong(EventRow::sequenceNumber);

    private final DataSource transactional;
    private final DataSource pool;
    private final String insertEvent;
    private final String insertTimeout;
    private final int writers;
    private final int maxGroup;
    private final int stallSeconds;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition written = lock.newCondition();
    private final ArrayDeque<Queued> queue = new ArrayDeque<>();
    private int writing;

    public StoreWriter(DataSource dataSource,
                       @Value("${db-scheduler.table-name:scheduled_tasks}") String timeoutTable,
                       @Value("${interlock.store.group-commit.writers:2}") int writers,
                       @Value("${interlock.store.group-commit.max-transactions:256}") int maxGroup,
                       @Value("${interlock.store.group-commit.stall-timeout:PT1S}") java.time.Duration stall) {
        this.transactional = dataSource;
        this.pool = LazyConnections.pool(dataSource);
        this.insertEvent = "insert into domain_event_entry (global_index, event_identifier, aggregate_identifier,"
                + " sequence_number, type, time_stamp, payload_type, payload_revision, payload, meta_data)"
                + " values (nextval('domain_event_entry_global_index_seq'), ?, ?, ?, ?, ?, ?, ?, ?, ?)";
        this.insertTimeout = "insert into " + timeoutTable + " (task_name, task_instance, task_data, execution_time,"
                + " picked, version, priority) values (?, ?, ?, ?, false, 1, ?)";
        this.writers = writers;
        this.maxGroup = maxGroup;
        this.stallSeconds = (int) Math.max(1, stall.toSeconds());
    }

    /** The pool's connections, untouched by transactions: for reads that need no transaction. */
    public DataSource pool() {
        return pool;
    }

    /** Called just before the transaction that collected {@code writes} commits. */
    void write(StoreWrites writes) {
        if (writes.transactionUsed) {
            try {
                insert(DataSourceUtils.getConnection(transactional), List.of(writes), 0);
            } catch (SQLException e) {
                throw writes.failed(e);
            }
            return;
        }
        Queued mine = new Queued(writes);
        lock.lock();
        try {
            queue.add(mine);
            while (!mine.done) {
                if (writing < writers && !queue.isEmpty()) {
                    writing++;
                    List<Queued> group = take();
                    lock.unlock();
                    try {
                        commit(group);
                    } finally {
                        lock.lock();
                        writing--;
                        group.forEach(q -> q.done = true);
                        written.signalAll();
                    }
                } else {
                    written.awaitUninterruptibly();
                }
            }
        } finally {
            lock.unlock();
        }
        if (mine.alone) {
            writeAlone(writes);
        }
    }

    private List<Queued> take() {
        List<Queued> group = new ArrayList<>(Math.min(queue.size(), maxGroup));
        while (!queue.isEmpty() && group.size() < maxGroup) {
            group.add(queue.poll());
        }
        return group;
    }

    private void commit(List<Queued> group) {
        try (Connection connection = pool.getConnection()) {
            connection.setAutoCommit(false);
            try {
                insert(connection, group.stream().map(q -> q.writes).toList(), stallSeconds);
                connection.commit();
                return;
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
            }
        } catch (SQLException | RuntimeException e) {
            // no connection, or the rollback failed: each writes alone and meets the cause itself
        }
        // someone in the group lost a race, or waited on another replica's lock: each writes alone,
        // on its own thread and connection, so only those that really fail are told so and a wait
        // holds up no one else
        group.forEach(q -> q.alone = true);
    }

    /** One transaction's rows in a database transaction of their own. */
    private void writeAlone(StoreWrites writes) {
        try (Connection connection = pool.getConnection()) {
            connection.setAutoCommit(false);
            try {
                insert(connection, List.of(writes), 0);
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw writes.failed(e);
        }
    }

    private void insert(Connection connection, List<StoreWrites> writes, int timeoutSeconds) throws SQLException {
        List<EventRow> events = new ArrayList<>();
        List<TimeoutRow> timeouts = new ArrayList<>();
        for (StoreWrites w : writes) {
            events.addAll(w.events);
            timeouts.addAll(w.timeouts);
        }
        if (!events.isEmpty()) {
            events.sort(KEY_ORDER);
            try (PreparedStatement insert = connection.prepareStatement(insertEvent)) {
                insert.setQueryTimeout(timeoutSeconds);
                for (EventRow e : events) {
                    insert.setString(1, e.eventIdentifier());
                    insert.setString(2, e.aggregateIdentifier());
                    insert.setLong(3, e.sequenceNumber());
                    insert.setString(4, e.type());
                    insert.setString(5, e.timestamp());
                    insert.setString(6, e.payloadType());
                    insert.setString(7, e.payloadRevision());
                    insert.setBytes(8, e.payload());
                    insert.setBytes(9, e.metaData());
                    insert.addBatch();
                }
                insert.executeBatch();
            }
        }
        if (!timeouts.isEmpty()) {
            try (PreparedStatement insert = connection.prepareStatement(insertTimeout)) {
                for (TimeoutRow t : timeouts) {
                    insert.setString(1, t.taskName());
                    insert.setString(2, t.taskInstance());
                    insert.setBytes(3, t.taskData());
                    insert.setObject(4, t.executionTime().atOffset(ZoneOffset.UTC));
                    insert.setInt(5, t.priority());
                    insert.addBatch();
                }
                insert.executeBatch();
            }
        }
    }

    private static final class Queued {
        final StoreWrites writes;
        boolean done;
        boolean alone;

        Queued(StoreWrites writes) {
            this.writes = writes;
        }
    }
}
