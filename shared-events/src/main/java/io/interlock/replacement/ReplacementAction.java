package io.interlock.replacement;

import io.interlock.lifecycle.Names;

/** Every transition of a replacement request, kebab-case on the wire. */
public enum ReplacementAction {
    BEGIN_ALLOCATION, UNDO_ALLOCATION, FINISH_ALLOCATION,
    BEGIN_OLD_VOLUME_DELETION, UNDO_OLD_VOLUME_DELETION, FINISH_OLD_VOLUME_DELETION,
    BEGIN_COMPLETING, UNDO_COMPLETING, FINISH_COMPLETING,
    COMPLETE_FROM_REQUESTED;

    public String wireName() {
        return Names.kebab(this);
    }

    public static ReplacementAction fromWire(String wireName) {
        return Names.fromKebab(ReplacementAction.class, wireName);
    }
}
