package io.interlock.subsystem;

import io.interlock.lifecycle.Names;

/** What may happen to an allocated namespace; allocation itself creates one and is not a row. */
public enum NamespaceAction {
    ONLINE, RELEASE, REMOVE;

    public String wireName() {
        return Names.kebab(this);
    }
}
