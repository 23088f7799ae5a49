package io.interlock.instance;

import io.interlock.instance.InstanceEvents.InstanceCreated;
import io.interlock.lifecycle.StateDiagram;

import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Renders {@value #PATH} from {@link InstanceTransitions}: a diagram of the vmState machine and
 * the table row by row. The committed file is checked by {@code InstanceDiagramTest}, so the docs
 * change when the table does, and only then.
 */
public final class InstanceDiagram {

    /** Where the document lives, relative to the repository root. */
    public static final String PATH = "docs/instance-lifecycle.md";

    /** The vmState a new instance is in; the fold decides it, not the table, so ask the fold. */
    private static final VmState CREATED_IN =
            InstanceState.evolve(InstanceState.NONE, new InstanceCreated("-", "-", "-", "-", "-")).vmState();

    private InstanceDiagram() {
    }

    public static String markdown() {
        return """
                <!-- Generated from InstanceTransitions by InstanceDiagramTest. Do not edit: change the table, then run
                     mvn -o -B -pl shared-events test -Dtest=InstanceDiagramTest -Dinterlock.docs.write=true -->
                # Instance lifecycle

                How an instance's `vmState` moves, generated from the transition table in
                `shared-events/src/main/java/io/interlock/instance/InstanceTransitions.java`.

                ## vmState transitions

                An edge is labelled with the action that starts a task and, in parentheses, the task it runs;
                it leads to where the task leaves `vmState` when it completes. Edges marked %s lead to where
                a failed or timed-out task leaves it. Not drawn: failures that leave `vmState` as it was,
                and the immediate actions, which run no task: %s.

                ```mermaid
                %s```

                ## The table

                Unless "may run during" says otherwise, an action needs the instance to be idle. A
                superseded task ends there: its agent's later reports are answered 409 `stale-task`.
                A locked instance refuses every action of a caller who is not an admin, except `unlock`.

                %s"""
                .formatted(StateDiagram.FAILURE_MARK, immediateActions(), diagram().mermaid(), table());
    }

    /** The vmState machine, for the docs and for the dashboard's resource pages. */
    public static StateDiagram<VmState> diagram() {
        StateDiagram<VmState> diagram = new StateDiagram<>();
        diagram.start(CREATED_IN, InstanceAction.CREATE.wireName());
        for (InstanceTransition row : InstanceTransitions.rows()) {
            if (row.immediate()) {
                continue;
            }
            String label = row.action().wireName() + " (" + row.task() + ")";
            for (VmState from : startStates(row)) {
                for (VmState to : landings(row.success(), from)) {
                    diagram.success(from, to, label);
                }
                for (VmState to : landings(row.failure(), from)) {
                    if (to != from) {
                        diagram.failure(from, to, row.action().wireName());
                    }
                }
            }
        }
        for (VmState state : VmState.values()) {
            if (InstanceTransitions.rows().stream().noneMatch(row -> row.from().contains(state))) {
                diagram.end(state);
            }
        }
        return diagram;
    }

    private static Set<VmState> startStates(InstanceTransition row) {
        return row.action() == InstanceAction.CREATE ? EnumSet.of(CREATED_IN) : row.from();
    }

    /**
     * Every state a landing can resolve to from {@code from}. A rule may depend on the state before
     * a resize, or on the offload flag, so try each value they can take.
     */
    private static Set<VmState> landings(Landing landing, VmState from) {
        Set<VmState> remembered = EnumSet.noneOf(VmState.class);
        InstanceTransitions.rows().stream().filter(InstanceTransition::rememberPrevious)
                .forEach(row -> remembered.addAll(row.from()));
        List<VmState> previousStates = remembered.isEmpty() ? Collections.singletonList(null) : List.copyOf(remembered);
        Set<VmState> landings = EnumSet.noneOf(VmState.class);
        for (VmState previous : previousStates) {
            for (boolean offload : new boolean[] {false, true}) {
                landings.add(landing.resolve(from, previous, offload));
            }
        }
        return landings;
    }

    private static String immediateActions() {
        return InstanceTransitions.rows().stream().filter(InstanceTransition::immediate)
                .map(row -> "`" + row.action().wireName() + "`" + (row.adminOnly() ? " (admin only)" : ""))
                .collect(Collectors.joining(", "));
    }

    static String table() {
        StringBuilder out = new StringBuilder("""
                | action | allowed vmState | may run during | task set | success → vmState | failure → vmState | admin only |
                |---|---|---|---|---|---|---|
                """);
        for (InstanceTransition row : InstanceTransitions.rows()) {
            boolean create = row.action() == InstanceAction.CREATE;
            out.append("| `").append(row.action().wireName()).append("` | ")
                    .append(create ? "(new id)" : list(row.from(), VmState.class, "any")).append(" | ")
                    .append(during(row)).append(" | ")
                    .append(row.immediate() ? "(none: immediate)"
                            : row.task() + (create ? ", vmState " + CREATED_IN : "")).append(" | ")
                    .append(row.success() == null ? "" : row.success().describe())
                    .append(row.rememberPrevious() ? " (previous vmState kept)" : "").append(" | ")
                    .append(row.failure() == null ? "" : row.failure().describe()).append(" | ")
                    .append(row.adminOnly() ? "yes" : "").append(" |\n");
        }
        return out.toString();
    }

    private static String during(InstanceTransition row) {
        if (row.runsDuring().isEmpty()) {
            return "idle only";
        }
        String during = list(row.runsDuring(), TaskState.class, "any task")
                + (row.supersedes() ? " (superseded)" : "");
        if (row.repeatWhile() != null) {
            during += "; a repeat while " + row.repeatWhile() + " adds nothing";
        }
        return during;
    }

    /** Names a set the short way: "any", "any but X", or the members in declaration order. */
    private static <E extends Enum<E>> String list(Set<E> members, Class<E> type, String any) {
        Set<E> missing = EnumSet.allOf(type);
        missing.removeAll(members);
        if (missing.isEmpty()) {
            return any;
        }
        if (missing.size() <= 3 && missing.size() < members.size()) {
            return any + " but " + join(missing);
        }
        return join(members);
    }

    private static <E extends Enum<E>> String join(Set<E> members) {
        return members.stream().sorted().map(Enum::name).collect(Collectors.joining(", "));
    }
}
