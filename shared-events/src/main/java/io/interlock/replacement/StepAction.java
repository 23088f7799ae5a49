package io.interlock.replacement;

import io.interlock.lifecycle.Names;

/** Every transition of a replacement step, kebab-case on the wire. */
public enum StepAction {
    BEGIN, UNDO, COMPLETE, VOLUME_DELETED;

    public String wireName() {
        return Names.kebab(this);
    }

    public static StepAction fromWire(String wireName) {
        return Names.fromKebab(StepAction.class, wireName);
    }
}
