package io.interlock.instance;

import io.interlock.lifecycle.Names;

/**
 * Every row of the instance table. A soft and a hard reboot are separate rows
 * because they differ in where they may run and in what they supersede.
 */
public enum InstanceAction {
    CREATE, START, STOP, REBOOT, REBOOT_HARD, REBUILD, RESIZE, CONFIRM_RESIZE, REVERT_RESIZE,
    SHELVE, SHELVE_OFFLOAD, UNSHELVE, PAUSE, UNPAUSE, SUSPEND, RESUME, RESCUE, UNRESCUE,
    SET_ADMIN_PASSWORD, LIVE_MIGRATE, EVACUATE, SNAPSHOT, BACKUP, SOFT_DELETE, RESTORE, DELETE,
    LOCK, UNLOCK, RESET_STATE;

    public String wireName() {
        return Names.kebab(this);
    }

    public static InstanceAction fromWire(String wireName) {
        return Names.fromKebab(InstanceAction.class, wireName);
    }
}
