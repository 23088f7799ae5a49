package io.interlock.lifecycle;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A Mermaid {@code stateDiagram-v2} of one resource's state enum, built from its transition table
 * so that the diagrams in {@code docs/} are generated, never drawn by hand.
 *
 * <p>Transitions between the same two states are merged into one edge whose label lists every
 * action: Mermaid draws parallel edges on top of each other, and a thirty-row table would
 * otherwise be unreadable. Mermaid cannot dash a state transition, so a failure edge is marked by
 * {@value #FAILURE_MARK} in front of its label instead.
 */
public final class StateDiagram<S extends Enum<S>> {

    public static final String FAILURE_MARK = "✗";

    private enum Kind { START, SUCCESS, FAILURE, END }

    private record Edge<S extends Enum<S>>(Kind kind, S from, S to) {
    }

    // Edges sorted by state, labels in the order they came: the table's order, which readers know.
    private final Map<Edge<S>, Set<String>> edges = new TreeMap<>(Comparator
            .<Edge<S>>comparingInt(edge -> edge.from() == null ? -1 : edge.from().ordinal())
            .thenComparing(Edge::kind)
            .thenComparingInt(edge -> edge.to() == null ? -1 : edge.to().ordinal()));

    /** The state a new resource is created in. */
    public StateDiagram<S> start(S state, String label) {
        return add(new Edge<>(Kind.START, null, state), label);
    }

    public StateDiagram<S> success(S from, S to, String label) {
        return add(new Edge<>(Kind.SUCCESS, from, to), label);
    }

    public StateDiagram<S> failure(S from, S to, String label) {
        return add(new Edge<>(Kind.FAILURE, from, to), label);
    }

    /** A state the resource never leaves. */
    public StateDiagram<S> end(S state) {
        return add(new Edge<>(Kind.END, state, null), null);
    }

    private StateDiagram<S> add(Edge<S> edge, String label) {
        Set<String> labels = edges.computeIfAbsent(edge, e -> new LinkedHashSet<>());
        if (label != null) {
            labels.add(label);
        }
        return this;
    }

    /**
     * One merged edge, for drawing the diagram elsewhere (the dashboard): {@code from} is null for
     * the start, {@code to} null for an end, {@code failure} marks where failures lead.
     */
    public record Transition(String from, String to, boolean failure, List<String> labels) {
    }

    /** The edges as data, in the order the Mermaid source lists them. */
    public List<Transition> transitions() {
        List<Transition> out = new ArrayList<>();
        edges.forEach((edge, labels) -> out.add(new Transition(edge.from() == null ? null : edge.from().name(),
                edge.to() == null ? null : edge.to().name(), edge.kind() == Kind.FAILURE, List.copyOf(labels))));
        return out;
    }

    /** The diagram's Mermaid source, without the surrounding code fence. */
    public String mermaid() {
        StringBuilder out = new StringBuilder("stateDiagram-v2\n");
        edges.forEach((edge, labels) -> {
            out.append("    ")
                    .append(edge.from() == null ? "[*]" : edge.from().name())
                    .append(" --> ")
                    .append(edge.to() == null ? "[*]" : edge.to().name());
            if (!labels.isEmpty()) {
                out.append(" : ")
                        .append(edge.kind() == Kind.FAILURE ? FAILURE_MARK + " " : "")
                        .append(String.join(", ", labels));
            }
            out.append('\n');
        });
        return out.toString();
    }
}
