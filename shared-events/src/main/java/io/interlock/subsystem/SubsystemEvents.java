package io.interlock.subsystem;

/**
 * What happened to NVMe-oF subsystems and their namespaces. A namespace is an entity inside its
 * subsystem's aggregate, so every allocation on one subsystem is decided by that subsystem alone.
 */
public final class SubsystemEvents {

    private SubsystemEvents() {
    }

    /** Every subsystem event; the fold in {@link SubsystemState} accepts exactly these. */
    public sealed interface SubsystemEvent permits SubsystemCreated, SubsystemDeleted, NamespaceAllocated,
            NamespaceOnline, NamespaceReleased, NamespaceRemoved {
        String nqn();
    }

    /** @param dedicated made for one non-namespaced volume; placement never shares it */
    public record SubsystemCreated(String nqn, String nodeId, String tenant, int maxNamespaces, boolean dedicated)
            implements SubsystemEvent {
    }

    public record SubsystemDeleted(String nqn, String nodeId) implements SubsystemEvent {
    }

    /** The namespace starts IN_CREATION with the lowest nsid no namespace of the subsystem holds. */
    public record NamespaceAllocated(String nqn, String lvolId, int nsid) implements SubsystemEvent {
    }

    public record NamespaceOnline(String nqn, String lvolId, int nsid) implements SubsystemEvent {
    }

    /** To IN_DELETION: the slot stops counting against the limit; the nsid stays held. */
    public record NamespaceReleased(String nqn, String lvolId, int nsid) implements SubsystemEvent {
    }

    /** The agent removed it from the target: the namespace and its nsid are gone. */
    public record NamespaceRemoved(String nqn, String lvolId, int nsid) implements SubsystemEvent {
    }
}
