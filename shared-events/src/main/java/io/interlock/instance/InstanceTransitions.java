package io.interlock.instance;

import java.util.Collection;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.interlock.instance.InstanceAction.*;
import static io.interlock.instance.VmState.*;

/**
 * The instance transition table, as data. The aggregate asks it whether an action
 * may run, the read model derives {@code allowedActions} from it, and the docs diagram is
 * generated from it; nothing else decides.
 */
public final class InstanceTransitions {

    private static final Set<TaskState> IDLE = EnumSet.noneOf(TaskState.class);
    private static final Set<TaskState> ANY_TASK = EnumSet.allOf(TaskState.class);

    private static final Map<InstanceAction, InstanceTransition> TABLE = new EnumMap<>(InstanceAction.class);

    static {
        task(CREATE, Set.of(), TaskState.SPAWNING, Landing.to(ACTIVE), Landing.to(ERROR));
        task(START, Set.of(STOPPED), TaskState.POWERING_ON, Landing.to(ACTIVE), Landing.unchanged());
        task(STOP, Set.of(ACTIVE, ERROR), TaskState.POWERING_OFF, Landing.to(STOPPED), Landing.unchanged());
        task(REBOOT, Set.of(ACTIVE), TaskState.REBOOTING, Landing.to(ACTIVE), Landing.unchanged());
        row(new InstanceTransition(REBOOT_HARD, EnumSet.of(ACTIVE, STOPPED, PAUSED, SUSPENDED, ERROR),
                EnumSet.of(TaskState.REBOOTING, TaskState.REBOOTING_HARD, TaskState.PAUSING,
                        TaskState.UNPAUSING, TaskState.SUSPENDING, TaskState.RESUMING),
                true, TaskState.REBOOTING_HARD, Landing.of(Landing.Rule.RESCUED_STAYS_ELSE_ACTIVE),
                Landing.to(ERROR), false, false, null));
        task(REBUILD, Set.of(ACTIVE, STOPPED, ERROR), TaskState.REBUILDING,
                Landing.of(Landing.Rule.STOPPED_STAYS_ELSE_ACTIVE), Landing.to(ERROR));
        row(new InstanceTransition(RESIZE, EnumSet.of(ACTIVE, STOPPED), IDLE, false, TaskState.RESIZE_PREP,
                Landing.to(RESIZED), Landing.to(ERROR), false, true, null));
        task(CONFIRM_RESIZE, Set.of(RESIZED), TaskState.RESIZE_CONFIRMING,
                Landing.of(Landing.Rule.PREVIOUS), Landing.to(ERROR));
        task(REVERT_RESIZE, Set.of(RESIZED), TaskState.RESIZE_REVERTING,
                Landing.of(Landing.Rule.PREVIOUS), Landing.to(ERROR));
        task(SHELVE, Set.of(ACTIVE, STOPPED, PAUSED, SUSPENDED), TaskState.SHELVING,
                Landing.of(Landing.Rule.SHELVED_OR_OFFLOADED), Landing.unchanged());
        task(SHELVE_OFFLOAD, Set.of(SHELVED), TaskState.SHELVING_OFFLOADING,
                Landing.to(SHELVED_OFFLOADED), Landing.unchanged());
        task(UNSHELVE, Set.of(SHELVED, SHELVED_OFFLOADED), TaskState.UNSHELVING, Landing.to(ACTIVE), Landing.to(ERROR));
        task(PAUSE, Set.of(ACTIVE), TaskState.PAUSING, Landing.to(PAUSED), Landing.unchanged());
        task(UNPAUSE, Set.of(PAUSED), TaskState.UNPAUSING, Landing.to(ACTIVE), Landing.unchanged());
        task(SUSPEND, Set.of(ACTIVE), TaskState.SUSPENDING, Landing.to(SUSPENDED), Landing.unchanged());
        task(RESUME, Set.of(SUSPENDED), TaskState.RESUMING, Landing.to(ACTIVE), Landing.unchanged());
        task(RESCUE, Set.of(ACTIVE, STOPPED, ERROR), TaskState.RESCUING, Landing.to(RESCUED), Landing.to(ERROR));
        task(UNRESCUE, Set.of(RESCUED), TaskState.UNRESCUING, Landing.to(ACTIVE), Landing.to(ERROR));
        task(SET_ADMIN_PASSWORD, Set.of(ACTIVE), TaskState.UPDATING_PASSWORD, Landing.to(ACTIVE), Landing.unchanged());
        task(LIVE_MIGRATE, Set.of(ACTIVE, PAUSED), TaskState.MIGRATING, Landing.unchanged(), Landing.unchanged());
        // Evacuate and soft-delete supersede any task but a delete: once deletion has started,
        // nothing but the delete itself (or an admin's reset) may take the instance over.
        row(new InstanceTransition(EVACUATE, EnumSet.of(ACTIVE, STOPPED, ERROR), allTasksBut(TaskState.DELETING), true,
                TaskState.REBUILDING, Landing.of(Landing.Rule.STOPPED_STAYS_ELSE_ACTIVE), Landing.to(ERROR),
                false, false, null));
        task(SNAPSHOT, Set.of(ACTIVE, STOPPED, PAUSED, SUSPENDED), TaskState.IMAGE_SNAPSHOT,
                Landing.unchanged(), Landing.unchanged());
        task(BACKUP, Set.of(ACTIVE, STOPPED, PAUSED, SUSPENDED), TaskState.IMAGE_BACKUP,
                Landing.unchanged(), Landing.unchanged());
        // A second soft-delete must not supersede the first: one operation at a time.
        row(new InstanceTransition(SOFT_DELETE, allBut(SOFT_DELETED, DELETED),
                allTasksBut(TaskState.SOFT_DELETING, TaskState.DELETING),
                true, TaskState.SOFT_DELETING, Landing.to(SOFT_DELETED), Landing.to(ERROR), false, false, null));
        task(RESTORE, Set.of(SOFT_DELETED), TaskState.RESTORING, Landing.to(ACTIVE), Landing.unchanged());
        row(new InstanceTransition(DELETE, allBut(DELETED), ANY_TASK, true, TaskState.DELETING,
                Landing.to(DELETED), Landing.to(ERROR), false, false, TaskState.DELETING));
        row(new InstanceTransition(LOCK, allBut(DELETED), ANY_TASK, false, null, null, null, false, false, null));
        row(new InstanceTransition(UNLOCK, allBut(DELETED), ANY_TASK, false, null, null, null, false, false, null));
        row(new InstanceTransition(RESET_STATE, allBut(DELETED), ANY_TASK, true, null, null, null, true, false, null));
    }

    private InstanceTransitions() {
    }

    private static void task(InstanceAction action, Set<VmState> from, TaskState task, Landing success, Landing failure) {
        row(new InstanceTransition(action, from.isEmpty() ? EnumSet.noneOf(VmState.class) : EnumSet.copyOf(from),
                IDLE, false, task, success, failure, false, false, null));
    }

    private static void row(InstanceTransition transition) {
        TABLE.put(transition.action(), transition);
    }

    private static Set<VmState> allBut(VmState... excluded) {
        Set<VmState> states = EnumSet.allOf(VmState.class);
        states.removeAll(List.of(excluded));
        return states;
    }

    private static Set<TaskState> allTasksBut(TaskState... excluded) {
        Set<TaskState> tasks = EnumSet.allOf(TaskState.class);
        tasks.removeAll(List.of(excluded));
        return tasks;
    }

    public static InstanceTransition row(InstanceAction action) {
        return TABLE.get(action);
    }

    public static Collection<InstanceTransition> rows() {
        return TABLE.values();
    }

    /** The table's answer for one action on one instance. */
    public record Verdict(boolean allowed, boolean repeat, String refusal) {
        static final Verdict ALLOWED = new Verdict(true, false, null);
        static final Verdict REPEAT = new Verdict(true, true, null);

        static Verdict refused(String why) {
            return new Verdict(false, false, why);
        }
    }

    /**
     * May {@code action} run now? {@code privileged} callers (admins) are not stopped by a lock;
     * admin-only rows refuse everyone else.
     */
    public static Verdict check(InstanceState state, InstanceAction action, boolean privileged) {
        InstanceTransition row = TABLE.get(action);
        if (row == null || action == CREATE) {
            return Verdict.refused(action + " is not an action on an existing instance");
        }
        if (row.adminOnly() && !privileged) {
            return Verdict.refused("only an admin may " + action.wireName());
        }
        if (row.repeatWhile() != null && row.repeatWhile() == state.taskState()) {
            return Verdict.REPEAT;
        }
        // Locking a locked instance (or unlocking an unlocked one) is accepted and adds nothing, so
        // racing lock calls all succeed.
        boolean lockAsIs = action == LOCK && state.locked() || action == UNLOCK && !state.locked();
        if (lockAsIs && row.from().contains(state.vmState())) {
            return Verdict.REPEAT;
        }
        if (state.locked() && !privileged && action != UNLOCK) {
            return Verdict.refused("locked");
        }
        if (!row.from().contains(state.vmState())) {
            return Verdict.refused("vmState " + state.vmState() + " does not allow " + action.wireName());
        }
        if (state.taskState() != null && !row.runsDuring().contains(state.taskState())) {
            return Verdict.refused("task " + state.taskState() + " is running");
        }
        return Verdict.ALLOWED;
    }

    /**
     * The actions a non-admin caller could start right now, by wire name, in table order. Repeats
     * are left out: they would be accepted, but change nothing.
     */
    public static List<String> allowedActions(InstanceState state) {
        return TABLE.values().stream()
                .filter(row -> row.action() != CREATE && !row.adminOnly())
                .filter(row -> {
                    Verdict verdict = check(state, row.action(), false);
                    return verdict.allowed() && !verdict.repeat();
                })
                .map(row -> row.action().wireName())
                .toList();
    }
}
