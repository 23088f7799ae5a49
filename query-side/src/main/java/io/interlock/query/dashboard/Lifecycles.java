package io.interlock.query.dashboard;

import com.fasterxml.jackson.annotation.JsonValue;
import io.interlock.instance.InstanceDiagram;
import io.interlock.instance.InstanceTransition;
import io.interlock.instance.InstanceTransitions;
import io.interlock.instance.TaskState;
import io.interlock.instance.VmState;
import io.interlock.lifecycle.Names;
import io.interlock.lifecycle.StateDiagram;
import io.interlock.query.subsystem.SubsystemView;
import io.interlock.replacement.ReplacementTransitions;
import io.interlock.replacement.RequestState;
import io.interlock.replacement.SagaIdRule;
import io.interlock.replacement.SagaTransition;
import io.interlock.replacement.StepState;
import io.interlock.share.AccessRulesStatus;
import io.interlock.share.ShareDiagram;
import io.interlock.share.ShareStatus;
import io.interlock.subsystem.NamespaceAction;
import io.interlock.subsystem.NamespaceStatus;
import io.interlock.subsystem.NamespaceTransitions;
import io.interlock.volume.DeletionStatus;

import java.util.Arrays;
import java.util.Collection;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * What the dashboard draws each resource's states with, taken from the transition tables in
 * shared-events: the kind of every value of the state fields {@code /v1/stats} counts (stable,
 * transitional, error), and for the resources that have one, the lifecycle diagram of the
 * primary state field, the same edges the generated docs draw.
 */
final class Lifecycles {

    enum Kind {
        STABLE, TRANSITIONAL, ERROR;

        @JsonValue
        String wire() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** {@code primary} is the state field the diagram is of (null: no diagram). */
    record Lifecycle(String primary, Map<String, Map<String, Kind>> fields, Diagram diagram) {
    }

    record Diagram(List<String> states, List<StateDiagram.Transition> transitions) {
    }

    private Lifecycles() {
    }

    static Map<String, Lifecycle> all() {
        Map<String, Lifecycle> all = new LinkedHashMap<>();
        Set<TaskState> tasks = InstanceTransitions.rows().stream().map(InstanceTransition::task)
                .filter(Objects::nonNull).collect(Collectors.toCollection(() -> EnumSet.noneOf(TaskState.class)));
        Map<String, Kind> taskKinds = new LinkedHashMap<>();
        taskKinds.put("NONE", Kind.STABLE);
        taskKinds.putAll(kinds(TaskState.class, tasks::contains, s -> false));
        all.put("instances", new Lifecycle("vmState", Map.of(
                "vmState", kinds(VmState.class, s -> false, Lifecycles::namedError),
                "taskState", taskKinds), diagram(VmState.class, InstanceDiagram.diagram())));
        all.put("shares", new Lifecycle("status", Map.of(
                "status", kinds(ShareStatus.class, ShareStatus::transitional, ShareStatus::error),
                "accessRulesStatus", kinds(AccessRulesStatus.class, s -> s == AccessRulesStatus.SYNCING,
                        Lifecycles::namedError)), diagram(ShareStatus.class, ShareDiagram.diagram())));
        all.put("replacements", new Lifecycle("state", Map.of(
                "state", kinds(RequestState.class, heldBySaga(ReplacementTransitions.requestRows()), s -> false),
                "stepState", kinds(StepState.class, heldBySaga(ReplacementTransitions.stepRows()), s -> false)),
                diagram(RequestState.class, replacementDiagram())));
        all.put("subsystems", new Lifecycle(null, Map.of(
                "status", kinds(SubsystemView.Status.class, s -> false, s -> false),
                "namespaceStatus", kinds(NamespaceStatus.class, awaitingTheAgent(), s -> false)),
                diagram(NamespaceStatus.class, namespaceDiagram())));
        all.put("volumes", new Lifecycle("deletionStatus", Map.of(
                "deletionStatus", kinds(DeletionStatus.class, s -> false, s -> false)),
                diagram(DeletionStatus.class, volumeDiagram())));
        all.put("nodes", new Lifecycle(null, Map.of(), null));
        return all;
    }

    private static <E extends Enum<E>> Map<String, Kind> kinds(Class<E> type, Predicate<E> transitional,
                                                              Predicate<E> error) {
        Map<String, Kind> kinds = new LinkedHashMap<>();
        for (E state : type.getEnumConstants()) {
            kinds.put(state.name(), error.test(state) ? Kind.ERROR : transitional.test(state) ? Kind.TRANSITIONAL
                    : Kind.STABLE);
        }
        return kinds;
    }

    /** Where failures land, for the state fields whose table has no error set of its own. */
    private static boolean namedError(Enum<?> state) {
        return state.name().equals("ERROR") || state.name().endsWith("_ERROR");
    }

    /** A state entered with the saga id set is held by that saga until it leaves it. */
    private static <S extends Enum<S>> Predicate<S> heldBySaga(Collection<? extends SagaTransition<?, S>> rows) {
        Set<S> held = rows.stream().filter(row -> row.sagaId() == SagaIdRule.SET).map(SagaTransition::to)
                .collect(Collectors.toSet());
        return held::contains;
    }

    /** A namespace waits for the agent's report (online, removed) in the statuses those rows leave. */
    private static Predicate<NamespaceStatus> awaitingTheAgent() {
        Set<NamespaceStatus> waiting = NamespaceTransitions.rows().stream()
                .filter(row -> row.action() == NamespaceAction.ONLINE || row.action() == NamespaceAction.REMOVE)
                .flatMap(row -> row.from().stream()).collect(Collectors.toSet());
        return waiting::contains;
    }

    private static <E extends Enum<E>> Diagram diagram(Class<E> type, StateDiagram<E> diagram) {
        return new Diagram(Arrays.stream(type.getEnumConstants()).map(Enum::name).toList(), diagram.transitions());
    }

    private static StateDiagram<RequestState> replacementDiagram() {
        StateDiagram<RequestState> diagram = new StateDiagram<RequestState>().start(RequestState.REQUESTED, "create");
        for (var row : ReplacementTransitions.requestRows()) {
            row.from().forEach(from -> diagram.success(from, row.to(), Names.kebab(row.action())));
        }
        return diagram.end(RequestState.COMPLETE);
    }

    private static StateDiagram<NamespaceStatus> namespaceDiagram() {
        StateDiagram<NamespaceStatus> diagram = new StateDiagram<NamespaceStatus>()
                .start(NamespaceStatus.IN_CREATION, "allocate");
        for (NamespaceTransitions.Row row : NamespaceTransitions.rows()) {
            for (NamespaceStatus from : row.from()) {
                if (row.to() == null) {
                    diagram.end(from);
                } else {
                    diagram.success(from, row.to(), Names.kebab(row.action()));
                }
            }
        }
        return diagram;
    }

    private static StateDiagram<DeletionStatus> volumeDiagram() {
        StateDiagram<DeletionStatus> diagram = new StateDiagram<DeletionStatus>().start(DeletionStatus.ACTIVE, "register");
        for (DeletionStatus from : DeletionStatus.values()) {
            for (boolean hard : new boolean[]{false, true}) {
                DeletionStatus to = from.afterDelete(hard);
                if (to != null) {
                    diagram.success(from, to, hard ? "delete (hard)" : "delete (soft)");
                }
            }
        }
        return diagram.end(DeletionStatus.HARD_DELETED);
    }
}
