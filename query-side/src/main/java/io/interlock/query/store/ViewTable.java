package io.interlock.query.store;

import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;

import java.sql.Savepoint;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * One read-model table as its projection writes it: rows (a view with the fold state it came
 * from) loaded by id, many per query, and inserted or updated in JDBC batches. An update applies
 * only while the stored row is older, so a duplicate delivery changes nothing.
 *
 * @param <S> a stored row
 */
public final class ViewTable<S> {

    /** Ids per load query: a batch of events touches at most this many rows anyway. */
    private static final int IDS_PER_QUERY = 500;

    private final JdbcTemplate jdbc;
    private final String select;
    private final String insert;
    private final String update;
    private final RowMapper<S> stored;
    private final Function<S, Object[]> values;
    private final int versionIndex;

    /**
     * @param readColumns    what {@code stored} maps, the id column first
     * @param writtenColumns what {@code values} gives, in order, the id column first and {@code version} among them
     */
    public ViewTable(JdbcTemplate jdbc, String table, String readColumns, RowMapper<S> stored, String writtenColumns,
                     Function<S, Object[]> values) {
        List<String> written = Arrays.stream(writtenColumns.split(",")).map(String::trim).toList();
        String id = written.get(0);
        this.jdbc = jdbc;
        this.stored = stored;
        this.values = values;
        this.versionIndex = written.indexOf("version");
        if (versionIndex < 0) {
            throw new IllegalArgumentException(table + " is written without its version");
        }
        this.select = "select " + readColumns + " from " + table + " where " + id + " in ";
        this.insert = "insert into " + table + " (" + String.join(", ", written) + ") values ("
                + String.join(",", Collections.nCopies(written.size(), "?")) + ")";
        this.update = "update " + table + " set " + String.join(", ", written.subList(1, written.size()).stream()
                .map(c -> c + " = ?").toList()) + " where " + id + " = ? and version < ?";
    }

    /** The stored rows among {@code ids}, by id; an id without a row is simply absent. */
    public Map<String, S> load(Collection<String> ids) {
        Map<String, S> rows = new HashMap<>();
        List<String> all = List.copyOf(ids);
        for (int from = 0; from < all.size(); from += IDS_PER_QUERY) {
            List<String> chunk = all.subList(from, Math.min(all.size(), from + IDS_PER_QUERY));
            jdbc.query(select + "(" + String.join(",", Collections.nCopies(chunk.size(), "?")) + ")",
                    rs -> {
                        rows.put(rs.getString(1), stored.mapRow(rs, rows.size()));
                    }, chunk.toArray());
        }
        return rows;
    }

    public void insert(List<S> rows) {
        if (!rows.isEmpty()) {
            jdbc.batchUpdate(insert, rows.stream().map(values).toList());
        }
    }

    public void update(List<S> rows) {
        if (rows.isEmpty()) {
            return;
        }
        List<Object[]> args = new ArrayList<>(rows.size());
        for (S row : rows) {
            Object[] v = values.apply(row);
            Object[] a = Arrays.copyOfRange(v, 1, v.length + 2);
            a[v.length - 1] = v[0];
            a[v.length] = v[versionIndex];
            args.add(a);
        }
        jdbc.batchUpdate(update, args);
    }

    /**
     * Runs {@code writes} in a savepoint of the current transaction: when the database refuses
     * them, they are undone alone and the transaction stays usable (PostgreSQL would otherwise
     * refuse every later statement of it).
     */
    void inSavepoint(Runnable writes) {
        jdbc.execute((ConnectionCallback<Void>) connection -> {
            Savepoint savepoint = connection.setSavepoint();
            try {
                writes.run();
            } catch (RuntimeException e) {
                connection.rollback(savepoint);
                throw e;
            }
            connection.releaseSavepoint(savepoint);
            return null;
        });
    }
}
