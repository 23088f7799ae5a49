package io.interlock.bench;

import io.interlock.instance.InstanceAction;
import io.interlock.instance.InstanceTransition;
import io.interlock.instance.InstanceTransitions;
import io.interlock.instance.VmState;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * The baseline: the same instance transitions as a team would otherwise write them,
 * one compare-and-swap UPDATE per command on a plain table, autocommit, no history and no
 * audit trail. The guard of each start comes from the same transition table the aggregate asks,
 * so both enforce the same rule; a CAS that hits anything but exactly one row is an error.
 */
record CasBaseline(DataSource pool) implements InstanceCycle {

    private static final String COMPLETE = "update bench_instance set vm_state = success_vm_state, task_state = null,"
            + " task_id = null, success_vm_state = null, version = version + 1 where id = ? and task_id = ?";

    /** A plain table of the fields the CAS needs, with the given instances ACTIVE and idle. */
    void setUp(List<String> ids) throws Exception {
        try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
            s.execute("drop table if exists bench_instance");
            s.execute("create table bench_instance (id varchar(64) primary key, vm_state varchar(32) not null,"
                    + " task_state varchar(32), task_id varchar(64), success_vm_state varchar(32),"
                    + " locked boolean not null default false, version bigint not null default 0)");
            try (PreparedStatement insert = c.prepareStatement(
                    "insert into bench_instance (id, vm_state) values (?, 'ACTIVE')")) {
                for (String id : ids) {
                    insert.setString(1, id);
                    insert.addBatch();
                }
                insert.executeBatch();
            }
        }
    }

    @Override
    public String start(String id, InstanceAction action) throws Exception {
        InstanceTransition row = InstanceTransitions.row(action);
        String taskId = UUID.randomUUID().toString();
        try (Connection c = pool.getConnection(); PreparedStatement update = c.prepareStatement(startStatement(row))) {
            update.setString(1, row.task().name());
            update.setString(2, taskId);
            update.setString(3, landing(row).name());
            update.setString(4, id);
            expectOneRow(update.executeUpdate(), action.wireName(), id);
        }
        return taskId;
    }

    @Override
    public void complete(String id, String taskId) throws Exception {
        try (Connection c = pool.getConnection(); PreparedStatement update = c.prepareStatement(COMPLETE)) {
            update.setString(1, id);
            update.setString(2, taskId);
            expectOneRow(update.executeUpdate(), "complete", id);
        }
    }

    private static String startStatement(InstanceTransition row) {
        String from = row.from().stream().map(s -> "'" + s.name() + "'").sorted().collect(Collectors.joining(", "));
        return "update bench_instance set task_state = ?, task_id = ?, success_vm_state = ?, version = version + 1"
                + " where id = ? and vm_state in (" + from + ") and task_state is null and not locked";
    }

    /**
     * Where success leads. Shelve (without offload) and unshelve land on one fixed state whatever
     * they start from, so the CAS can carry it without reading the row first.
     */
    private static VmState landing(InstanceTransition row) {
        return row.success().resolve(row.from().iterator().next(), null, false);
    }

    private static void expectOneRow(int rows, String command, String id) {
        if (rows != 1) {
            throw new IllegalStateException(command + " on " + id + " updated " + rows + " rows");
        }
    }
}
