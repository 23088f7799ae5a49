package io.interlock.share;

import io.interlock.lifecycle.StateDiagram;
import io.interlock.share.ShareTransition.Condition;

import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Renders {@value #PATH} from {@link ShareTransitions}: a diagram of the share's status machine
 * and the table row by row. The committed file is checked by {@code ShareDiagramTest}, so the
 * docs change when the table does, and only then.
 */
public final class ShareDiagram {

    /** Where the document lives, relative to the repository root. */
    public static final String PATH = "docs/share-lifecycle.md";

    private ShareDiagram() {
    }

    public static String markdown() {
        return """
                <!-- Generated from ShareTransitions by ShareDiagramTest. Do not edit: change the table, then run
                     mvn -o -B -pl shared-events test -Dtest=ShareDiagramTest -Dinterlock.docs.write=true -->
                # Share lifecycle

                How a share's `status` moves, generated from the transition table in
                `shared-events/src/main/java/io/interlock/share/ShareTransitions.java`.

                ## Status transitions

                An edge from a settled status to a transitional one is the action that starts a task; the
                edges out of a transitional status are where the task leads when it completes, or, marked %s,
                when it fails or times out. Not drawn: `delete-snapshot`, which leaves the share's status as
                it is, and the immediate actions: %s. Error statuses are left by `reset-status`.

                ```mermaid
                %s```

                ## The table

                | action | allowed status | other conditions | transitional | success | failure | snapshot: from → while → success / failure |
                |---|---|---|---|---|---|---|
                %s"""
                .formatted(StateDiagram.FAILURE_MARK, immediateActions(), diagram().mermaid(), table());
    }

    /** The status machine, for the docs and for the dashboard's resource pages. */
    public static StateDiagram<ShareStatus> diagram() {
        StateDiagram<ShareStatus> diagram = new StateDiagram<>();
        for (ShareTransition row : ShareTransitions.rows()) {
            if (row.immediate() || row.transitional() == null) {
                continue;
            }
            String label = row.action().wireName();
            if (row.has(Condition.NEW_ID)) {
                diagram.start(row.transitional(), label);
            } else {
                for (ShareStatus from : row.from()) {
                    diagram.success(from, row.transitional(), label);
                }
            }
            diagram.success(row.transitional(), row.success(), label);
            diagram.failure(row.transitional(), row.failure(), label);
            if (row.dataLossFailure() != null) {
                diagram.failure(row.transitional(), row.dataLossFailure(), label + " (possible data loss)");
            }
        }
        for (ShareStatus status : ShareStatus.values()) {
            boolean left = ShareTransitions.rows().stream()
                    .anyMatch(row -> !row.immediate() && row.transitional() != null && row.from().contains(status))
                    || status.transitional();
            // error statuses are left by an admin's reset-status, which the diagram does not draw
            if (!left && !status.error()) {
                diagram.end(status);
            }
        }
        return diagram;
    }

    private static String immediateActions() {
        return ShareTransitions.rows().stream().filter(ShareTransition::immediate)
                .map(row -> "`" + row.action().wireName() + "`" + (row.has(Condition.ADMIN_ONLY) ? " (admin only)" : ""))
                .collect(Collectors.joining(", "));
    }

    static String table() {
        StringBuilder out = new StringBuilder();
        for (ShareTransition row : ShareTransitions.rows()) {
            out.append("| `").append(row.action().wireName()).append("` | ")
                    .append(row.has(Condition.NEW_ID) ? "(new id)" : statuses(row.from())).append(" | ")
                    .append(conditions(row)).append(" | ")
                    .append(row.transitional() == null ? (row.immediate() ? "(immediate)" : "unchanged")
                            : row.transitional().name()).append(" | ")
                    .append(row.success() == null ? "" : row.success().name()).append(" | ")
                    .append(row.failure() == null ? "" : row.failure().name())
                    .append(row.dataLossFailure() == null ? "" : ", or " + row.dataLossFailure().name()
                            + " when the agent reports possible data loss").append(" | ")
                    .append(row.snapshotTransitional() == null ? "" : (row.snapshotFrom() == null ? "(new)"
                            : row.snapshotFrom().stream().map(Enum::name).collect(Collectors.joining(", ")))
                            + " → " + row.snapshotTransitional() + " → " + row.snapshotSuccess() + " / "
                            + row.snapshotFailure()).append(" |\n");
        }
        return out.toString();
    }

    private static String statuses(Set<ShareStatus> from) {
        if (from.size() == ShareStatus.values().length) {
            return "any";
        }
        if (from.size() > ShareStatus.values().length / 2) {
            return "any but " + java.util.Arrays.stream(ShareStatus.values()).filter(s -> !from.contains(s))
                    .map(Enum::name).collect(Collectors.joining(", "));
        }
        return from.stream().map(Enum::name).collect(Collectors.joining(", "));
    }

    private static String conditions(ShareTransition row) {
        return row.conditions().stream().filter(c -> c != Condition.NEW_ID && c != Condition.IMMEDIATE)
                .map(c -> c.name().toLowerCase(Locale.ROOT).replace('_', ' '))
                .collect(Collectors.joining("; "));
    }
}
