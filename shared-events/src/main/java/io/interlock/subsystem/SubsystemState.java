package io.interlock.subsystem;

import io.interlock.subsystem.SubsystemEvents.NamespaceAllocated;
import io.interlock.subsystem.SubsystemEvents.NamespaceOnline;
import io.interlock.subsystem.SubsystemEvents.NamespaceReleased;
import io.interlock.subsystem.SubsystemEvents.NamespaceRemoved;
import io.interlock.subsystem.SubsystemEvents.SubsystemCreated;
import io.interlock.subsystem.SubsystemEvents.SubsystemDeleted;
import io.interlock.subsystem.SubsystemEvents.SubsystemEvent;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A subsystem's state, and the one pure fold that produces it. The aggregate, the
 * projection and the audit view all call {@link #evolve}.
 *
 * @param namespaces by lvolId, in allocation order
 */
public record SubsystemState(String nqn, String nodeId, String tenant, int maxNamespaces, boolean dedicated,
                             boolean deleted, Map<String, Namespace> namespaces) {

    public static final int DEFAULT_MAX_NAMESPACES = 32;
    public static final int MAX_NAMESPACES_LIMIT = 50;

    public record Namespace(String lvolId, int nsid, NamespaceStatus status) {
    }

    public SubsystemState {
        namespaces = Collections.unmodifiableMap(new LinkedHashMap<>(namespaces));
    }

    /** Namespaces that count against {@code maxNamespaces}: every one not IN_DELETION. */
    public int liveNamespaces() {
        return (int) namespaces.values().stream().filter(n -> n.status() != NamespaceStatus.IN_DELETION).count();
    }

    public boolean full() {
        return liveNamespaces() >= maxNamespaces;
    }

    /** The lowest nsid from 1 that no namespace holds; one IN_DELETION still holds its nsid. */
    public int lowestFreeNsid() {
        Set<Integer> taken = namespaces.values().stream().map(Namespace::nsid).collect(Collectors.toSet());
        int nsid = 1;
        while (taken.contains(nsid)) {
            nsid++;
        }
        return nsid;
    }

    public Namespace namespace(String lvolId) {
        return namespaces.get(lvolId);
    }

    public static SubsystemState evolve(SubsystemState state, SubsystemEvent event) {
        if (event instanceof SubsystemCreated e) {
            return new SubsystemState(e.nqn(), e.nodeId(), e.tenant(), e.maxNamespaces(), e.dedicated(), false,
                    Map.of());
        }
        if (event instanceof SubsystemDeleted) {
            return new SubsystemState(state.nqn, state.nodeId, state.tenant, state.maxNamespaces, state.dedicated,
                    true, state.namespaces);
        }
        if (event instanceof NamespaceAllocated e) {
            return state.with(new Namespace(e.lvolId(), e.nsid(), NamespaceStatus.IN_CREATION));
        }
        if (event instanceof NamespaceOnline e) {
            return state.with(new Namespace(e.lvolId(), e.nsid(), NamespaceStatus.ONLINE));
        }
        if (event instanceof NamespaceReleased e) {
            return state.with(new Namespace(e.lvolId(), e.nsid(), NamespaceStatus.IN_DELETION));
        }
        if (event instanceof NamespaceRemoved e) {
            Map<String, Namespace> next = new LinkedHashMap<>(state.namespaces);
            next.remove(e.lvolId());
            return new SubsystemState(state.nqn, state.nodeId, state.tenant, state.maxNamespaces, state.dedicated,
                    state.deleted, next);
        }
        throw new IllegalArgumentException("Not a subsystem event: " + event);
    }

    private SubsystemState with(Namespace namespace) {
        Map<String, Namespace> next = new LinkedHashMap<>(namespaces);
        next.put(namespace.lvolId(), namespace);
        return new SubsystemState(nqn, nodeId, tenant, maxNamespaces, dedicated, deleted, next);
    }
}
