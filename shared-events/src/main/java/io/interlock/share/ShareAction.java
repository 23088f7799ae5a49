package io.interlock.share;

import io.interlock.lifecycle.Names;

/**
 * Every row of the share table, snapshot and access-rule rows included. The wire
 * names are the URL's action names where an action has one.
 */
public enum ShareAction {
    CREATE, CREATE_FROM_SNAPSHOT, MANAGE, DELETE, EXTEND, SHRINK, CREATE_SNAPSHOT, DELETE_SNAPSHOT, REVERT,
    MIGRATE, UNMANAGE, RESET_STATUS, ALLOW_ACCESS, DENY_ACCESS;

    public String wireName() {
        return Names.kebab(this);
    }

    public static ShareAction fromWire(String wireName) {
        return Names.fromKebab(ShareAction.class, wireName);
    }
}
