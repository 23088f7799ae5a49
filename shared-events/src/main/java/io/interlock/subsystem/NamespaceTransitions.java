package io.interlock.subsystem;

import java.util.Collection;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

import static io.interlock.subsystem.NamespaceStatus.IN_CREATION;
import static io.interlock.subsystem.NamespaceStatus.IN_DELETION;
import static io.interlock.subsystem.NamespaceStatus.ONLINE;

/**
 * The namespace table, as data: allocate (IN_CREATION), then online, release (to
 * IN_DELETION) and removed. The subsystem aggregate asks it; nothing else decides.
 */
public final class NamespaceTransitions {

    /**
     * One row.
     *
     * @param to       the status the namespace enters; null when it is gone (removed)
     * @param repeatIn a repeat from this status is answered without a new event
     */
    public record Row(NamespaceAction action, Set<NamespaceStatus> from, NamespaceStatus to, NamespaceStatus repeatIn) {
    }

    private static final Map<NamespaceAction, Row> TABLE = new EnumMap<>(NamespaceAction.class);

    static {
        row(new Row(NamespaceAction.ONLINE, EnumSet.of(IN_CREATION), ONLINE, ONLINE));
        row(new Row(NamespaceAction.RELEASE, EnumSet.of(IN_CREATION, ONLINE), IN_DELETION, IN_DELETION));
        row(new Row(NamespaceAction.REMOVE, EnumSet.of(IN_DELETION), null, null));
    }

    private NamespaceTransitions() {
    }

    private static void row(Row row) {
        TABLE.put(row.action(), row);
    }

    public static Row row(NamespaceAction action) {
        return TABLE.get(action);
    }

    public static Collection<Row> rows() {
        return TABLE.values();
    }

    /** The table's answer for one action on a namespace in {@code status}. */
    public enum Verdict { ALLOWED, REPEAT, REFUSED }

    public static Verdict check(NamespaceStatus status, NamespaceAction action) {
        Row row = TABLE.get(action);
        if (row.repeatIn() == status) {
            return Verdict.REPEAT;
        }
        return row.from().contains(status) ? Verdict.ALLOWED : Verdict.REFUSED;
    }
}
