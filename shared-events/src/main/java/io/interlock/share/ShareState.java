package io.interlock.share;

import io.interlock.share.ShareEvents.AccessRuleAllowed;
import io.interlock.share.ShareEvents.AccessRuleDenyQueued;
import io.interlock.share.ShareEvents.AccessRulesSyncSettled;
import io.interlock.share.ShareEvents.AccessRulesSyncStarted;
import io.interlock.share.ShareEvents.AccessRulesSyncTimedOut;
import io.interlock.share.ShareEvents.ShareCreated;
import io.interlock.share.ShareEvents.ShareCreatedFromSnapshot;
import io.interlock.share.ShareEvents.ShareEvent;
import io.interlock.share.ShareEvents.ShareManageStarted;
import io.interlock.share.ShareEvents.ShareStatusReset;
import io.interlock.share.ShareEvents.ShareTaskCompleted;
import io.interlock.share.ShareEvents.ShareTaskFailed;
import io.interlock.share.ShareEvents.ShareTaskStarted;
import io.interlock.share.ShareEvents.ShareTaskTimedOut;
import io.interlock.share.ShareEvents.SnapshotLeaseAcquired;
import io.interlock.share.ShareEvents.SnapshotLeaseExpired;
import io.interlock.share.ShareEvents.SnapshotLeaseReleased;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * A share's state with its snapshots, read leases and access rules, and the one pure fold that
 * produces it. The aggregate, the projection and the audit "state as of" view all call
 * {@link #evolve}, so they cannot disagree.
 *
 * @param tasks       the running tasks by id: at most one for the share itself, plus one per
 *                    snapshot being deleted
 * @param endedTasks  how recent tasks ended, so a repeated report can be told from a stale one
 * @param snapshots   in creation order
 * @param syncId      the running access-rule sync, or null
 * @param endedSyncs  recent syncs that were settled or timed out, so a repeated result is answered
 */
public record ShareState(
        String shareId,
        String tenant,
        long size,
        String protocol,
        ShareStatus status,
        String exportPath,
        String sourceShareId,
        String sourceSnapshotId,
        Map<String, Task> tasks,
        Map<String, TaskEnd> endedTasks,
        Map<String, Snapshot> snapshots,
        Map<String, Rule> rules,
        AccessRulesStatus accessRulesStatus,
        String syncId,
        Set<String> endedSyncs) {

    static final int REMEMBERED = 32;

    public enum TaskEnd { COMPLETED, FAILED, TIMED_OUT, RESET }

    /** A running task, with where it leads; null statuses leave the share's status as it is. */
    public record Task(String taskId, ShareAction action, String snapshotId, ShareStatus successStatus,
                       ShareStatus failureStatus, ShareStatus dataLossStatus, SnapshotStatus snapshotSuccess,
                       SnapshotStatus snapshotFailure, Long newSize) {

        /** True for the task that holds the share's own status (every task but a snapshot deletion). */
        public boolean shareLevel() {
            return action != ShareAction.DELETE_SNAPSHOT;
        }
    }

    public record Lease(String leaseId, Instant expiresAt) {
    }

    /** @param leases active read leases by owner */
    public record Snapshot(String snapshotId, String name, SnapshotStatus status, long size, String taskId,
                           Map<String, Lease> leases) {

        Snapshot with(SnapshotStatus status, String taskId) {
            return new Snapshot(snapshotId, name, status, size, taskId, leases);
        }

        Snapshot withLeases(Map<String, Lease> leases) {
            return new Snapshot(snapshotId, name, status, size, taskId, leases);
        }
    }

    public record Rule(String ruleId, AccessType accessType, String accessTo, AccessLevel level,
                       AccessRuleState state) {

        Rule with(AccessRuleState state) {
            return new Rule(ruleId, accessType, accessTo, level, state);
        }

        public boolean sameAs(AccessType type, String to, AccessLevel lvl) {
            return accessType == type && accessTo.equals(to) && level == lvl;
        }
    }

    public static final ShareState NONE = new ShareState(null, null, 0, null, null, null, null, null, Map.of(),
            Map.of(), Map.of(), Map.of(), AccessRulesStatus.ACTIVE, null, Set.of());

    /** The task that holds the share's status, or null. */
    public Task shareTask() {
        for (Task task : tasks.values()) {
            if (task.shareLevel()) {
                return task;
            }
        }
        return null;
    }

    public String shareTaskId() {
        Task task = shareTask();
        return task == null ? null : task.taskId();
    }

    /** The latest snapshot that is not DELETED, or null. */
    public String latestSnapshotId() {
        String latest = null;
        for (Snapshot snapshot : snapshots.values()) {
            if (snapshot.status().live()) {
                latest = snapshot.snapshotId();
            }
        }
        return latest;
    }

    public static ShareState evolve(ShareState state, ShareEvent event) {
        ShareState s = state == null ? NONE : state;
        if (event instanceof ShareCreated e) {
            return created(e.shareId(), e.tenant(), e.size(), e.protocol(), ShareStatus.CREATING, null, null, null,
                    new Task(e.taskId(), ShareAction.CREATE, null, ShareStatus.AVAILABLE, ShareStatus.ERROR, null,
                            null, null, null));
        }
        if (event instanceof ShareCreatedFromSnapshot e) {
            return created(e.shareId(), e.tenant(), e.size(), e.protocol(), ShareStatus.CREATING_FROM_SNAPSHOT, null,
                    e.sourceShareId(), e.snapshotId(), new Task(e.taskId(), ShareAction.CREATE_FROM_SNAPSHOT, null,
                            ShareStatus.AVAILABLE, ShareStatus.ERROR, null, null, null, null));
        }
        if (event instanceof ShareManageStarted e) {
            return created(e.shareId(), e.tenant(), e.size(), e.protocol(), ShareStatus.MANAGE_STARTING,
                    e.exportPath(), null, null, new Task(e.taskId(), ShareAction.MANAGE, null, ShareStatus.AVAILABLE,
                            ShareStatus.MANAGE_ERROR, null, null, null, null));
        }
        if (event instanceof ShareTaskStarted e) {
            Map<String, Task> tasks = put(s.tasks, e.taskId(), new Task(e.taskId(), e.action(), e.snapshotId(),
                    e.successStatus(), e.failureStatus(), e.dataLossStatus(), e.snapshotSuccess(),
                    e.snapshotFailure(), e.newSize()));
            Map<String, Snapshot> snapshots = s.snapshots;
            if (e.snapshotId() != null) {
                Snapshot existing = s.snapshots.get(e.snapshotId());
                Snapshot next = existing == null
                        ? new Snapshot(e.snapshotId(), e.snapshotName(), e.snapshotStatus(), s.size, e.taskId(), Map.of())
                        : existing.with(e.snapshotStatus(), e.taskId());
                snapshots = put(s.snapshots, e.snapshotId(), next);
            }
            return new ShareState(s.shareId, s.tenant, s.size, s.protocol, e.status() == null ? s.status : e.status(),
                    s.exportPath, s.sourceShareId, s.sourceSnapshotId, tasks, s.endedTasks, snapshots, s.rules,
                    s.accessRulesStatus, s.syncId, s.endedSyncs);
        }
        if (event instanceof ShareTaskCompleted e) {
            return ended(s, e.taskId(), e.status(), e.snapshotId(), e.snapshotStatus(), e.size(), TaskEnd.COMPLETED);
        }
        if (event instanceof ShareTaskFailed e) {
            return ended(s, e.taskId(), e.status(), e.snapshotId(), e.snapshotStatus(), s.size, TaskEnd.FAILED);
        }
        if (event instanceof ShareTaskTimedOut e) {
            return ended(s, e.taskId(), e.status(), e.snapshotId(), e.snapshotStatus(), s.size, TaskEnd.TIMED_OUT);
        }
        if (event instanceof ShareStatusReset e) {
            ShareState cleared = e.clearedTaskId() == null ? s
                    : ended(s, e.clearedTaskId(), null, e.snapshotId(), e.snapshotStatus(), s.size, TaskEnd.RESET);
            return cleared.withStatus(e.status());
        }
        if (event instanceof SnapshotLeaseAcquired e) {
            return s.withSnapshot(e.snapshotId(), snap -> snap.withLeases(
                    put(snap.leases(), e.owner(), new Lease(e.leaseId(), e.expiresAt()))));
        }
        if (event instanceof SnapshotLeaseReleased e) {
            return s.withSnapshot(e.snapshotId(), snap -> snap.withLeases(remove(snap.leases(), e.owner())));
        }
        if (event instanceof SnapshotLeaseExpired e) {
            return s.withSnapshot(e.snapshotId(), snap -> snap.withLeases(remove(snap.leases(), e.owner())));
        }
        if (event instanceof AccessRuleAllowed e) {
            return s.withRules(put(s.rules, e.ruleId(), new Rule(e.ruleId(), e.accessType(), e.accessTo(), e.level(),
                    AccessRuleState.QUEUED_TO_APPLY)), s.syncId, s.endedSyncs);
        }
        if (event instanceof AccessRuleDenyQueued e) {
            Rule rule = s.rules.get(e.ruleId());
            return rule == null ? s
                    : s.withRules(put(s.rules, e.ruleId(), rule.with(AccessRuleState.QUEUED_TO_DENY)), s.syncId,
                    s.endedSyncs);
        }
        if (event instanceof AccessRulesSyncStarted e) {
            Map<String, Rule> rules = new LinkedHashMap<>(s.rules);
            for (String ruleId : e.ruleIds()) {
                Rule rule = rules.get(ruleId);
                if (rule != null && rule.state().queued()) {
                    rules.put(ruleId, rule.with(rule.state() == AccessRuleState.QUEUED_TO_APPLY
                            ? AccessRuleState.APPLYING : AccessRuleState.DENYING));
                }
            }
            return s.withRules(Collections.unmodifiableMap(rules), e.syncId(), s.endedSyncs);
        }
        if (event instanceof AccessRulesSyncSettled e) {
            Map<String, Rule> rules = new LinkedHashMap<>(s.rules);
            e.results().forEach((ruleId, outcome) -> {
                Rule rule = rules.get(ruleId);
                if (rule == null) {
                    return;
                }
                if (rule.state() == AccessRuleState.APPLYING) {
                    rules.put(ruleId, rule.with(outcome == RuleOutcome.OK ? AccessRuleState.ACTIVE : AccessRuleState.ERROR));
                } else if (rule.state() == AccessRuleState.DENYING) {
                    if (outcome == RuleOutcome.OK) {
                        rules.remove(ruleId);
                    } else {
                        rules.put(ruleId, rule.with(AccessRuleState.ERROR));
                    }
                }
                // a rule denied again while it was being applied stays queued for the next sync
            });
            return s.withRules(Collections.unmodifiableMap(rules), null, rememberSync(s.endedSyncs, e.syncId()));
        }
        if (event instanceof AccessRulesSyncTimedOut e) {
            Map<String, Rule> rules = new LinkedHashMap<>(s.rules);
            rules.replaceAll((id, rule) -> rule.state() == AccessRuleState.APPLYING
                    || rule.state() == AccessRuleState.DENYING ? rule.with(AccessRuleState.ERROR) : rule);
            return s.withRules(Collections.unmodifiableMap(rules), null, rememberSync(s.endedSyncs, e.syncId()));
        }
        throw new IllegalArgumentException("Not a share event: " + event);
    }

    private static ShareState created(String shareId, String tenant, long size, String protocol, ShareStatus status,
                                      String exportPath, String sourceShareId, String sourceSnapshotId, Task task) {
        return new ShareState(shareId, tenant, size, protocol, status, exportPath, sourceShareId, sourceSnapshotId,
                Map.of(task.taskId(), task), Map.of(), Map.of(), Map.of(), AccessRulesStatus.ACTIVE, null, Set.of());
    }

    private static ShareState ended(ShareState s, String taskId, ShareStatus status, String snapshotId,
                                    SnapshotStatus snapshotStatus, long size, TaskEnd how) {
        Map<String, Snapshot> snapshots = s.snapshots;
        if (snapshotId != null && snapshotStatus != null && s.snapshots.containsKey(snapshotId)) {
            snapshots = put(s.snapshots, snapshotId, s.snapshots.get(snapshotId).with(snapshotStatus, null));
        }
        return new ShareState(s.shareId, s.tenant, size, s.protocol, status == null ? s.status : status, s.exportPath,
                s.sourceShareId, s.sourceSnapshotId, remove(s.tasks, taskId), remember(s.endedTasks, taskId, how),
                snapshots, s.rules, s.accessRulesStatus, s.syncId, s.endedSyncs);
    }

    private ShareState withStatus(ShareStatus next) {
        return new ShareState(shareId, tenant, size, protocol, next, exportPath, sourceShareId, sourceSnapshotId, tasks,
                endedTasks, snapshots, rules, accessRulesStatus, syncId, endedSyncs);
    }

    private ShareState withSnapshot(String snapshotId, UnaryOperator<Snapshot> change) {
        Snapshot snapshot = snapshots.get(snapshotId);
        if (snapshot == null) {
            return this;
        }
        return new ShareState(shareId, tenant, size, protocol, status, exportPath, sourceShareId, sourceSnapshotId,
                tasks, endedTasks, put(snapshots, snapshotId, change.apply(snapshot)), rules, accessRulesStatus, syncId,
                endedSyncs);
    }

    /** The rules' summary follows from the rules and the running sync, never from a separate event. */
    private ShareState withRules(Map<String, Rule> nextRules, String nextSyncId, Set<String> nextEndedSyncs) {
        AccessRulesStatus summary;
        if (nextSyncId != null) {
            summary = AccessRulesStatus.SYNCING;
        } else if (nextRules.values().stream().anyMatch(r -> r.state() == AccessRuleState.ERROR)) {
            summary = AccessRulesStatus.ERROR;
        } else {
            summary = AccessRulesStatus.ACTIVE;
        }
        return new ShareState(shareId, tenant, size, protocol, status, exportPath, sourceShareId, sourceSnapshotId,
                tasks, endedTasks, snapshots, nextRules, summary, nextSyncId, nextEndedSyncs);
    }

    // Insertion-ordered, unmodifiable copies: Map.copyOf's order is random per JVM, and snapshot
    // order decides which one is the latest.
    private static <V> Map<String, V> put(Map<String, V> map, String key, V value) {
        LinkedHashMap<String, V> next = new LinkedHashMap<>(map);
        next.put(key, value);
        return Collections.unmodifiableMap(next);
    }

    private static <V> Map<String, V> remove(Map<String, V> map, String key) {
        if (!map.containsKey(key)) {
            return map;
        }
        LinkedHashMap<String, V> next = new LinkedHashMap<>(map);
        next.remove(key);
        return Collections.unmodifiableMap(next);
    }

    private static Map<String, TaskEnd> remember(Map<String, TaskEnd> ended, String taskId, TaskEnd how) {
        LinkedHashMap<String, TaskEnd> next = new LinkedHashMap<>(ended);
        next.put(taskId, how);
        while (next.size() > REMEMBERED) {
            next.remove(next.keySet().iterator().next());
        }
        return Collections.unmodifiableMap(next);
    }

    private static Set<String> rememberSync(Set<String> ended, String syncId) {
        LinkedHashSet<String> next = new LinkedHashSet<>(ended);
        next.add(syncId);
        while (next.size() > REMEMBERED) {
            next.remove(next.iterator().next());
        }
        return Collections.unmodifiableSet(next);
    }
}
