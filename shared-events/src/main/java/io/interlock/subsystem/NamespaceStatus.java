package io.interlock.subsystem;

/**
 * A namespace's status inside its subsystem. Its transitions are in
 * {@link NamespaceTransitions}. IN_DELETION no longer counts against {@code maxNamespaces}, but
 * it keeps its nsid until the agent reports it removed.
 */
public enum NamespaceStatus {
    IN_CREATION, ONLINE, IN_DELETION
}
