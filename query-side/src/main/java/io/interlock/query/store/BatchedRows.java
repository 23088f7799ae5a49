package io.interlock.query.store;

import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.messaging.Message;
import org.axonframework.messaging.unitofwork.BatchingUnitOfWork;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.springframework.dao.NonTransientDataAccessException;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A projection's rows, read and written once per batch of events rather than once per event.
 * A tracking processor hands its handlers a batch of events in one unit of work and one
 * transaction (with the token); here the first read of a batch loads the rows of every aggregate
 * in the batch in one query, the handler folds each event onto the row as the batch left it, and
 * the rows the batch changed are written in JDBC batches when the unit of work prepares to
 * commit: in the same transaction as the token, before it commits, so a rolled-back batch leaves
 * neither rows nor token behind. Outside a unit of work (a handler called directly) each row is
 * read and written at once.
 * <p>
 * In the shared processor (see {@link ProjectionBatch}) a projection's rows are written in a
 * savepoint of their own: when the database refuses one (a NUL in a text, a value too long), the
 * savepoint is rolled back and the rows are written one by one, so every other row is kept and only
 * the refused one is not; its projection is then stopped at the first event of the batch that row
 * needed, and writes nothing more until it is replayed. The other projections, and the token,
 * carry on. Without this a refused write failed the whole batch, with every projection's rows.
 *
 * @param <S> a stored row: a view with the fold state it came from
 */
public final class BatchedRows<S> {

    private final ViewTable<S> table;
    private final String projection;
    private final String resource;

    /** @param projection the processing group that writes these rows, the name its failure is known by */
    public BatchedRows(String projection, ViewTable<S> table) {
        this.table = table;
        this.projection = projection;
        this.resource = BatchedRows.class.getName() + "/" + projection;
    }

    /** The row as the current batch left it, or as stored. */
    public Optional<S> get(String id) {
        if (!CurrentUnitOfWork.isStarted()) {
            return Optional.ofNullable(table.load(List.of(id)).get(id));
        }
        return batch().get(id);
    }

    /** The row's new content, written when the batch commits (at once outside a unit of work). */
    public void put(String id, S row) {
        if (!CurrentUnitOfWork.isStarted()) {
            if (table.load(List.of(id)).containsKey(id)) {
                table.update(List.of(row));
            } else {
                table.insert(List.of(row));
            }
            return;
        }
        batch().put(id, row);
    }

    private Batch batch() {
        UnitOfWork<?> unit = CurrentUnitOfWork.get().root();
        return unit.getOrComputeResource(resource, key -> {
            Batch batch = new Batch(unit);
            unit.onPrepareCommit(u -> batch.flush());
            return batch;
        });
    }

    /** One unit of work's rows: what was loaded (null for "no row"), which exist, which changed. */
    private final class Batch {
        private final UnitOfWork<?> unit;
        private final Map<String, S> known = new HashMap<>();
        private final Set<String> stored = new HashSet<>();
        private final Map<String, S> changed = new LinkedHashMap<>();
        /** per changed row, the first event of the batch it needed: where its projection stops if it is refused */
        private final Map<String, Message<?>> firstEvent = new HashMap<>();
        private final ProjectionBatch guard;
        private boolean prefetched;

        Batch(UnitOfWork<?> unit) {
            this.unit = unit;
            this.guard = ProjectionBatch.of(unit).orElse(null);
        }

        Optional<S> get(String id) {
            if (!known.containsKey(id)) {
                load(prefetched ? List.of(id) : idsInBatch(id));
            }
            return Optional.ofNullable(known.get(id));
        }

        void put(String id, S row) {
            if (guard != null && guard.stopped(projection)) {
                guard.withhold(projection, id);
                return;
            }
            known.put(id, row);
            changed.put(id, row);
            if (!firstEvent.containsKey(id) && CurrentUnitOfWork.isStarted()) {
                firstEvent.put(id, CurrentUnitOfWork.get().getMessage());
            }
        }

        /**
         * Every aggregate of the batch, read from the messages without deserializing a payload: a
         * projection's row key is its aggregate's id, and an id that is not one only costs a miss.
         */
        private Collection<String> idsInBatch(String id) {
            prefetched = true;
            Set<String> ids = new LinkedHashSet<>();
            ids.add(id);
            if (unit instanceof BatchingUnitOfWork<?> batching) {
                batching.getMessages().forEach(m -> {
                    if (m instanceof DomainEventMessage<?> event) {
                        ids.add(event.getAggregateIdentifier());
                    }
                });
            }
            return ids;
        }

        private void load(Collection<String> ids) {
            Map<String, S> rows = table.load(ids);
            for (String id : ids) {
                if (!known.containsKey(id)) {
                    known.put(id, rows.get(id));
                    if (rows.containsKey(id)) {
                        stored.add(id);
                    }
                }
            }
        }

        void flush() {
            if (guard == null || !TransactionSynchronizationManager.isActualTransactionActive()) {
                write(changed.keySet());
                return;
            }
            try {
                table.inSavepoint(() -> write(changed.keySet()));
            } catch (NonTransientDataAccessException refused) {
                // Which row? Each in its own savepoint: the good ones stay, the refused one stops its projection.
                // A transient failure (a timeout, a lost connection) is not caught: the batch is retried whole.
                for (String id : changed.keySet()) {
                    try {
                        table.inSavepoint(() -> write(List.of(id)));
                    } catch (NonTransientDataAccessException e) {
                        guard.withhold(projection, id);
                        guard.fail(projection, firstEvent.getOrDefault(id, unit.getMessage()), e);
                    }
                }
            }
        }

        private void write(Collection<String> ids) {
            List<S> inserts = new ArrayList<>();
            List<S> updates = new ArrayList<>();
            for (String id : ids) {
                (stored.contains(id) ? updates : inserts).add(changed.get(id));
            }
            table.insert(inserts);
            table.update(updates);
        }
    }
}
