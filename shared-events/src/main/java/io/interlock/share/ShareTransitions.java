package io.interlock.share;

import io.interlock.lifecycle.TenantIds;
import io.interlock.share.ShareState.Snapshot;
import io.interlock.share.ShareTransition.Condition;

import java.util.Collection;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.interlock.share.ShareAction.*;
import static io.interlock.share.ShareStatus.*;
import static io.interlock.share.ShareTransition.Condition.*;

/**
 * The share table, snapshot and access-rule rows included, as data. The aggregate
 * asks {@link #check} whether an action may run; the read model's {@code allowedActions} comes
 * from the same answer.
 */
public final class ShareTransitions {

    /** Where access rules may change: any status that is neither transitional nor final. */
    private static final Set<ShareStatus> RULES_CHANGE = settledBut(DELETED, UNMANAGED);

    private static final Map<ShareAction, ShareTransition> TABLE = new EnumMap<>(ShareAction.class);

    static {
        row(CREATE, Set.of(), CREATING, AVAILABLE, ERROR, NEW_ID);
        row(CREATE_FROM_SNAPSHOT, Set.of(), CREATING_FROM_SNAPSHOT, AVAILABLE, ERROR, NEW_ID, LEASES_SOURCE_SNAPSHOT);
        row(MANAGE, Set.of(), MANAGE_STARTING, AVAILABLE, MANAGE_ERROR, NEW_ID, UNCLAIMED_EXPORT_PATH);
        row(DELETE, Set.of(AVAILABLE, ERROR), DELETING, DELETED, ERROR_DELETING, NO_LIVE_SNAPSHOT, REPEATABLE);
        row(EXTEND, Set.of(AVAILABLE), EXTENDING, AVAILABLE, EXTENDING_ERROR, GROWS);
        put(new ShareTransition(SHRINK, EnumSet.of(AVAILABLE, SHRINKING_POSSIBLE_DATA_LOSS_ERROR), SHRINKING, AVAILABLE,
                SHRINKING_ERROR, SHRINKING_POSSIBLE_DATA_LOSS_ERROR, null, null, null, null, EnumSet.of(SHRINKS)));
        put(new ShareTransition(CREATE_SNAPSHOT, EnumSet.of(AVAILABLE), SNAPSHOTTING, AVAILABLE, ERROR, null,
                null, SnapshotStatus.CREATING, SnapshotStatus.AVAILABLE, SnapshotStatus.ERROR, EnumSet.noneOf(Condition.class)));
        put(new ShareTransition(DELETE_SNAPSHOT, allBut(DELETING, REVERTING, SNAPSHOTTING, DELETED), null, null, null,
                null, EnumSet.of(SnapshotStatus.AVAILABLE, SnapshotStatus.ERROR), SnapshotStatus.DELETING,
                SnapshotStatus.DELETED, SnapshotStatus.ERROR_DELETING, EnumSet.of(NO_READ_LEASE, REPEATABLE)));
        put(new ShareTransition(REVERT, EnumSet.of(AVAILABLE), REVERTING, AVAILABLE, REVERTING_ERROR, null,
                EnumSet.of(SnapshotStatus.AVAILABLE), SnapshotStatus.RESTORING, SnapshotStatus.AVAILABLE,
                SnapshotStatus.AVAILABLE, EnumSet.of(LATEST_SNAPSHOT, RULES_ACTIVE)));
        row(MIGRATE, Set.of(AVAILABLE), MIGRATING, AVAILABLE, ERROR, NO_LIVE_SNAPSHOT);
        row(UNMANAGE, Set.of(AVAILABLE), UNMANAGE_STARTING, UNMANAGED, UNMANAGE_ERROR, NO_LIVE_SNAPSHOT);
        row(RESET_STATUS, EnumSet.allOf(ShareStatus.class), null, null, null, ADMIN_ONLY, IMMEDIATE);
        row(ALLOW_ACCESS, RULES_CHANGE, null, null, null, IMMEDIATE);
        row(DENY_ACCESS, RULES_CHANGE, null, null, null, IMMEDIATE);
    }

    private ShareTransitions() {
    }

    private static void row(ShareAction action, Set<ShareStatus> from, ShareStatus transitional, ShareStatus success,
                            ShareStatus failure, Condition... conditions) {
        put(new ShareTransition(action, from.isEmpty() ? EnumSet.noneOf(ShareStatus.class) : EnumSet.copyOf(from),
                transitional, success, failure, null, null, null, null, null,
                conditions.length == 0 ? EnumSet.noneOf(Condition.class) : EnumSet.copyOf(List.of(conditions))));
    }

    private static void put(ShareTransition transition) {
        TABLE.put(transition.action(), transition);
    }

    private static Set<ShareStatus> allBut(ShareStatus... excluded) {
        Set<ShareStatus> statuses = EnumSet.allOf(ShareStatus.class);
        statuses.removeAll(List.of(excluded));
        return statuses;
    }

    private static Set<ShareStatus> settledBut(ShareStatus... excluded) {
        Set<ShareStatus> statuses = allBut(excluded);
        statuses.removeAll(ShareStatus.TRANSITIONAL);
        return statuses;
    }

    public static ShareTransition row(ShareAction action) {
        return TABLE.get(action);
    }

    public static Collection<ShareTransition> rows() {
        return TABLE.values();
    }

    /** The table's answer for one action on one share (and, for snapshot rows, one snapshot). */
    public record Verdict(Kind kind, String refusal, boolean retryable) {

        public enum Kind {
            /** the action may run */
            ALLOWED,
            /** the action is already running: accepted, and nothing is added */
            REPEAT,
            /** the table forbids it now: 409 invalid-state */
            REFUSED,
            /** the snapshot it names does not exist */
            NO_SNAPSHOT,
            /** the request itself is wrong for this share (a shrink that grows): 400 */
            INVALID
        }

        static final Verdict ALLOWED = new Verdict(Kind.ALLOWED, null, false);
        static final Verdict REPEAT = new Verdict(Kind.REPEAT, null, false);

        public boolean allowed() {
            return kind == Kind.ALLOWED || kind == Kind.REPEAT;
        }

        public boolean repeat() {
            return kind == Kind.REPEAT;
        }
    }

    private static Verdict refused(String why, boolean retryable) {
        return new Verdict(Verdict.Kind.REFUSED, why, retryable);
    }

    /**
     * May {@code action} run now on this share? {@code snapshotId} names the snapshot of a snapshot
     * row, {@code newSize} the size asked by extend and shrink; both are ignored by other rows.
     */
    public static Verdict check(ShareState state, ShareAction action, String snapshotId, Long newSize,
                                boolean privileged) {
        ShareTransition row = TABLE.get(action);
        if (row == null || row.has(NEW_ID)) {
            return refused(action + " is not an action on an existing share", false);
        }
        if (row.has(ADMIN_ONLY) && !privileged) {
            return refused("only an admin may " + action.wireName(), false);
        }
        ShareStatus status = state.status();
        boolean busy = status.transitional();
        Snapshot snapshot = null;
        if (row.onSnapshot()) {
            snapshot = state.snapshots().get(snapshotId);
            if (snapshot == null || snapshot.status() == SnapshotStatus.DELETED && action != DELETE_SNAPSHOT) {
                return new Verdict(Verdict.Kind.NO_SNAPSHOT, "no snapshot " + snapshotId, false);
            }
            if (row.has(REPEATABLE) && snapshot.status() == row.snapshotTransitional()) {
                return Verdict.REPEAT;
            }
        } else if (row.has(REPEATABLE) && status == row.transitional()) {
            return Verdict.REPEAT;
        }
        if (!row.from().contains(status)) {
            return refused("status " + status + " does not allow " + action.wireName(), busy);
        }
        if (snapshot != null && !row.snapshotFrom().contains(snapshot.status())) {
            return refused("snapshot " + snapshotId + " is " + snapshot.status(),
                    snapshot.status() == SnapshotStatus.CREATING || snapshot.status() == SnapshotStatus.RESTORING);
        }
        if (row.has(NO_LIVE_SNAPSHOT)) {
            for (Snapshot s : state.snapshots().values()) {
                if (s.status().live()) {
                    return refused("snapshot " + s.snapshotId() + " is " + s.status() + ", not DELETED", false);
                }
            }
        }
        if (row.has(NO_READ_LEASE) && snapshot != null && !snapshot.leases().isEmpty()) {
            return refused("snapshot " + snapshotId + " has an active read lease held by "
                    + String.join(", ", snapshot.leases().keySet().stream().map(TenantIds::bare).toList()), true);
        }
        if (row.has(LATEST_SNAPSHOT) && !snapshotId.equals(state.latestSnapshotId())) {
            return refused("snapshot " + snapshotId + " is not the latest; the latest is " + state.latestSnapshotId(),
                    false);
        }
        if (row.has(RULES_ACTIVE)) {
            for (ShareState.Rule rule : state.rules().values()) {
                if (rule.state() != AccessRuleState.ACTIVE) {
                    return refused("access rule " + rule.ruleId() + " is " + rule.state() + ", not ACTIVE",
                            rule.state() != AccessRuleState.ERROR);
                }
            }
        }
        if (row.has(GROWS) && newSize != null && newSize <= state.size()) {
            return new Verdict(Verdict.Kind.INVALID, "newSize " + newSize + " is not larger than size " + state.size(),
                    false);
        }
        if (row.has(SHRINKS) && newSize != null && newSize >= state.size()) {
            return new Verdict(Verdict.Kind.INVALID, "newSize " + newSize + " is not smaller than size " + state.size(),
                    false);
        }
        return Verdict.ALLOWED;
    }

    /**
     * The actions a non-admin caller could start right now, by wire name, in table order. A
     * snapshot row counts when some snapshot allows it.
     */
    public static List<String> allowedActions(ShareState state) {
        return TABLE.values().stream()
                .filter(row -> !row.has(NEW_ID) && !row.has(ADMIN_ONLY))
                .filter(row -> {
                    if (!row.onSnapshot()) {
                        Verdict verdict = check(state, row.action(), null, null, false);
                        return verdict.kind() == Verdict.Kind.ALLOWED;
                    }
                    return state.snapshots().keySet().stream().anyMatch(id ->
                            check(state, row.action(), id, null, false).kind() == Verdict.Kind.ALLOWED);
                })
                .map(row -> row.action().wireName())
                .toList();
    }
}
