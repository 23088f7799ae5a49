package io.interlock.query.subsystem;

import io.interlock.query.access.BareId;
import io.interlock.subsystem.NamespaceAction;
import io.interlock.subsystem.NamespaceStatus;
import io.interlock.subsystem.NamespaceTransitions;
import io.interlock.subsystem.SubsystemState;
import tools.jackson.databind.annotation.JsonSerialize;

import java.time.Instant;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * One NVMe-oF subsystem as dashboards see it: its namespace slots, used ({@code liveNamespaces},
 * every namespace not IN_DELETION) and maximum, and each namespace with the time it entered its
 * status.
 */
public record SubsystemView(@JsonSerialize(using = BareId.class) String nqn, @JsonSerialize(using = BareId.class) String nodeId, String tenant, Status status, boolean dedicated,
                            int maxNamespaces, int liveNamespaces, List<NamespaceView> namespaces,
                            Instant pendingSince, long version, Instant updatedAt) {

    /** A subsystem exists until it is deleted; a deleted one keeps its row (its nqn is never reused). */
    public enum Status { ACTIVE, DELETED }

    /**
     * @param since          when the namespace entered {@code status}: how long an agent has kept it waiting
     * @param allowedActions what the shared namespace table allows from {@code status} right now
     */
    public record NamespaceView(String lvolId, int nsid, NamespaceStatus status, Instant since,
                                List<String> allowedActions) {

        NamespaceView(String lvolId, int nsid, NamespaceStatus status, Instant since) {
            this(lvolId, nsid, status, since, Arrays.stream(NamespaceAction.values())
                    .filter(a -> NamespaceTransitions.check(status, a) == NamespaceTransitions.Verdict.ALLOWED)
                    .map(NamespaceAction::wireName)
                    .toList());
        }
    }

    static SubsystemView of(SubsystemState state, List<NamespaceView> previous, long version, Instant at) {
        Map<String, NamespaceView> before = previous.stream()
                .collect(Collectors.toMap(NamespaceView::lvolId, Function.identity()));
        List<NamespaceView> namespaces = state.namespaces().values().stream()
                .map(n -> {
                    NamespaceView was = before.get(n.lvolId());
                    boolean unchanged = was != null && was.status() == n.status();
                    return new NamespaceView(n.lvolId(), n.nsid(), n.status(), unchanged ? was.since() : at);
                })
                .toList();
        Instant pendingSince = namespaces.stream().filter(n -> n.status() != NamespaceStatus.ONLINE)
                .map(NamespaceView::since).filter(Objects::nonNull).min(Comparator.naturalOrder()).orElse(null);
        return new SubsystemView(state.nqn(), state.nodeId(), state.tenant(),
                state.deleted() ? Status.DELETED : Status.ACTIVE, state.dedicated(), state.maxNamespaces(),
                state.liveNamespaces(), namespaces, pendingSince, version, at);
    }

    long count(NamespaceStatus status) {
        return namespaces.stream().filter(n -> n.status() == status).count();
    }

    /** The namespace that has waited longest in IN_CREATION or IN_DELETION, if any. */
    NamespaceView longestPending() {
        return namespaces.stream().filter(n -> n.status() != NamespaceStatus.ONLINE)
                .min(Comparator.comparing(NamespaceView::since)).orElse(null);
    }
}
