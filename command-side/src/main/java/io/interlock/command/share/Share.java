package io.interlock.command.share;

import io.interlock.command.share.ShareCommands.AcquireSnapshotLease;
import io.interlock.command.share.ShareCommands.AllowAccess;
import io.interlock.command.share.ShareCommands.CompleteShareTask;
import io.interlock.command.share.ShareCommands.CreateShare;
import io.interlock.command.share.ShareCommands.CreateShareFromSnapshot;
import io.interlock.command.share.ShareCommands.DenyAccess;
import io.interlock.command.share.ShareCommands.FailShareTask;
import io.interlock.command.share.ShareCommands.ManageShare;
import io.interlock.command.share.ShareCommands.ReleaseSnapshotLease;
import io.interlock.command.share.ShareCommands.RequestShareAction;
import io.interlock.command.share.ShareCommands.SettleAccessRulesSync;
import io.interlock.command.share.ShareCommands.StartAccessRulesSync;
import io.interlock.command.share.ShareDeadlines.LeaseExpiry;
import io.interlock.command.share.ShareDeadlines.SyncTimeout;
import io.interlock.command.share.ShareDeadlines.TaskTimeout;
import io.interlock.lifecycle.Rejection;
import io.interlock.lifecycle.TenantIds;
import io.interlock.share.AccessRuleState;
import io.interlock.share.RuleOutcome;
import io.interlock.share.ShareAction;
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
import io.interlock.share.ShareState;
import io.interlock.share.ShareState.Lease;
import io.interlock.share.ShareState.Rule;
import io.interlock.share.ShareState.Snapshot;
import io.interlock.share.ShareState.Task;
import io.interlock.share.ShareState.TaskEnd;
import io.interlock.share.ShareStatus;
import io.interlock.share.ShareTransition;
import io.interlock.share.ShareTransitions;
import io.interlock.share.ShareTransitions.Verdict;
import io.interlock.share.SnapshotStatus;
import io.interlock.command.store.SnapshottedByFields;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.deadline.DeadlineManager;
import org.axonframework.deadline.annotation.DeadlineHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.eventsourcing.conflictresolution.ConflictResolver;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.spring.stereotype.Aggregate;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

/**
 * A share with its snapshots, read leases and access rules: one aggregate, so every rule that
 * spans them (no delete while a snapshot lives, no snapshot delete while leased) is decided on one
 * consistent state and settled by the event store's key when replicas race. Every decision is the
 * transition table's; this class turns its "no" into a typed rejection, starts tasks with their
 * durable timeouts, and settles agent reports.
 */
@Aggregate(repository = "shareRepository")
@SnapshottedByFields
public class Share {

    @AggregateIdentifier
    private String shareId;
    private ShareState state;
    private long version;

    protected Share() {
        // for Axon: rebuilt from events
    }

    @CommandHandler
    public Share(CreateShare command, ShareTimeouts timeouts, DeadlineManager deadlines) {
        apply(new ShareCreated(command.shareId(), command.tenant(), command.size(), command.protocol(),
                command.taskId()));
        scheduleTimeout(deadlines, command.taskId(), timeouts.of(ShareAction.CREATE));
    }

    @CommandHandler
    public Share(CreateShareFromSnapshot command, ShareTimeouts timeouts, DeadlineManager deadlines) {
        apply(new ShareCreatedFromSnapshot(command.shareId(), command.tenant(), command.size(), command.protocol(),
                command.sourceShareId(), command.snapshotId(), command.taskId()));
        scheduleTimeout(deadlines, command.taskId(), timeouts.of(ShareAction.CREATE_FROM_SNAPSHOT));
    }

    @CommandHandler
    public Share(ManageShare command, ShareTimeouts timeouts, DeadlineManager deadlines, ExportPaths exportPaths) {
        // A path is one place on the storage, whoever manages it: the refusal is the same whichever
        // share, of whichever tenant, holds it, and names neither.
        if (!exportPaths.claim(command.exportPath(), command.shareId())) {
            throw new Rejection(Rejection.Reason.ALREADY_EXISTS, ShareCommands.RESOURCE, command.shareId(),
                    ShareAction.MANAGE.wireName(), Map.of("exportPath", command.exportPath()), null, false,
                    "Export path " + command.exportPath() + " is not available");
        }
        apply(new ShareManageStarted(command.shareId(), command.tenant(), command.size(), command.protocol(),
                command.exportPath(), command.taskId()));
        scheduleTimeout(deadlines, command.taskId(), timeouts.of(ShareAction.MANAGE));
    }

    @CommandHandler
    public ShareResponse handle(RequestShareAction command, ShareTimeouts timeouts, DeadlineManager deadlines,
                                ConflictResolver conflicts, ExportPaths exportPaths) {
        visibleTo(command.tenantScope());
        rejectIfMovedOn(conflicts);
        ShareAction action = command.action();
        Verdict verdict = ShareTransitions.check(state, action, command.snapshotId(), command.newSize(),
                command.privileged());
        refuseUnless(verdict, action, command.snapshotId());
        if (verdict.repeat()) {
            return status(null);
        }
        if (action == ShareAction.RESET_STATUS) {
            resetStatus(command, exportPaths);
            return status(null);
        }
        ShareTransition row = ShareTransitions.row(action);
        if (row.immediate()) {
            throw invalidState(action, action.wireName() + " has its own endpoint", false);
        }
        String snapshotId = command.snapshotId();
        String snapshotName = null;
        if (action == ShareAction.CREATE_SNAPSHOT) {
            if (state.snapshots().containsKey(snapshotId)) {
                throw new Rejection(Rejection.Reason.ALREADY_EXISTS, ShareCommands.RESOURCE, shareId,
                        action.wireName(), stateFields(), version, false, "Snapshot " + snapshotId + " already exists");
            }
            snapshotName = command.snapshotName();
        }
        apply(new ShareTaskStarted(shareId, action, command.taskId(), row.transitional(), row.success(), row.failure(),
                row.dataLossFailure(), snapshotId, snapshotName, row.snapshotTransitional(), row.snapshotSuccess(),
                row.snapshotFailure(), command.newSize(), command.parameters()));
        scheduleTimeout(deadlines, command.taskId(), timeouts.of(action));
        return status(command.taskId());
    }

    @CommandHandler
    public ShareResponse handle(CompleteShareTask command, ConflictResolver conflicts, ExportPaths exportPaths) {
        rejectIfMovedOn(conflicts);
        Task task = current(command.taskId(), TaskEnd.COMPLETED, "complete");
        if (task != null) {
            long size = state.size();
            if (task.newSize() != null) {
                size = task.newSize();
            } else if (task.action() == ShareAction.REVERT) {
                size = state.snapshots().get(task.snapshotId()).size();
            }
            apply(new ShareTaskCompleted(shareId, task.action(), task.taskId(), task.successStatus(),
                    task.snapshotId(), task.snapshotSuccess(), size));
            releasePathIfGone(exportPaths);
        }
        return status(null);
    }

    @CommandHandler
    public ShareResponse handle(FailShareTask command, ConflictResolver conflicts) {
        rejectIfMovedOn(conflicts);
        Task task = current(command.taskId(), TaskEnd.FAILED, "fail");
        if (task != null) {
            boolean dataLoss = command.possibleDataLoss() && task.dataLossStatus() != null;
            apply(new ShareTaskFailed(shareId, task.action(), task.taskId(),
                    dataLoss ? task.dataLossStatus() : task.failureStatus(), task.snapshotId(),
                    task.snapshotFailure(), command.reason(), dataLoss));
        }
        return status(null);
    }

    /** The task may still be timing out after it ended; only a current task is failed by it. */
    @DeadlineHandler(deadlineName = ShareDeadlines.TASK)
    public void on(TaskTimeout deadline) {
        Task task = state.tasks().get(deadline.taskId());
        if (task != null) {
            apply(new ShareTaskTimedOut(shareId, task.action(), task.taskId(), task.failureStatus(),
                    task.snapshotId(), task.snapshotFailure(), deadline.timeout()));
        }
    }

    // ---------------------------------------------------------------------------------------
    // Read leases: taken on the source share, for the share being created from it
    // ---------------------------------------------------------------------------------------

    @CommandHandler
    public ShareResponse.LeaseGrant handle(AcquireSnapshotLease command, ShareTimeouts timeouts,
                                           DeadlineManager deadlines) {
        visibleTo(command.tenantScope());
        Snapshot snapshot = state.snapshots().get(command.snapshotId());
        if (snapshot == null || snapshot.status() == SnapshotStatus.DELETED) {
            throw noSnapshot(ShareAction.CREATE_FROM_SNAPSHOT, command.snapshotId());
        }
        boolean acquired = false;
        if (!snapshot.leases().containsKey(command.owner())) {
            if (snapshot.status() != SnapshotStatus.AVAILABLE) {
                throw invalidState(ShareAction.CREATE_FROM_SNAPSHOT, "snapshot " + command.snapshotId() + " is "
                        + snapshot.status() + ", not AVAILABLE", snapshot.status() == SnapshotStatus.CREATING
                        || snapshot.status() == SnapshotStatus.RESTORING);
            }
            String leaseId = UUID.randomUUID().toString();
            Duration ttl = timeouts.lease();
            apply(new SnapshotLeaseAcquired(shareId, command.snapshotId(), command.owner(), leaseId,
                    Instant.now().plus(ttl)));
            deadlines.schedule(ttl, ShareDeadlines.LEASE, new LeaseExpiry(command.snapshotId(), command.owner(), leaseId));
            acquired = true;
        }
        return new ShareResponse.LeaseGrant(shareId, command.snapshotId(), command.owner(), acquired, state.tenant(),
                snapshot.size(), state.protocol(), version);
    }

    @CommandHandler
    public ShareResponse handle(ReleaseSnapshotLease command) {
        Snapshot snapshot = state.snapshots().get(command.snapshotId());
        Lease lease = snapshot == null ? null : snapshot.leases().get(command.owner());
        if (lease != null) {
            apply(new SnapshotLeaseReleased(shareId, command.snapshotId(), command.owner(), lease.leaseId()));
        }
        return status(null);
    }

    @DeadlineHandler(deadlineName = ShareDeadlines.LEASE)
    public void on(LeaseExpiry deadline) {
        Snapshot snapshot = state.snapshots().get(deadline.snapshotId());
        Lease lease = snapshot == null ? null : snapshot.leases().get(deadline.owner());
        if (lease != null && lease.leaseId().equals(deadline.leaseId())) {
            apply(new SnapshotLeaseExpired(shareId, deadline.snapshotId(), deadline.owner(), lease.leaseId()));
        }
    }

    // ---------------------------------------------------------------------------------------
    // Access rules: queued by clients, claimed and settled by the agent
    // ---------------------------------------------------------------------------------------

    @CommandHandler
    public ShareResponse handle(AllowAccess command, ConflictResolver conflicts) {
        visibleTo(command.tenantScope());
        rejectIfMovedOn(conflicts);
        refuseUnless(ShareTransitions.check(state, ShareAction.ALLOW_ACCESS, null, null, false),
                ShareAction.ALLOW_ACCESS, null);
        Rule sameId = state.rules().get(command.ruleId());
        if (sameId != null && sameId.sameAs(command.accessType(), command.accessTo(), command.level())) {
            // the same request again (a retry after a lost race): accepted, nothing added
            return status(null);
        }
        for (Rule rule : state.rules().values()) {
            if (rule.sameAs(command.accessType(), command.accessTo(), command.level()) || rule.ruleId().equals(command.ruleId())) {
                Map<String, Object> fields = stateFields();
                fields.put("ruleId", rule.ruleId());
                throw new Rejection(Rejection.Reason.ALREADY_EXISTS, ShareCommands.RESOURCE, shareId,
                        ShareAction.ALLOW_ACCESS.wireName(), fields, version, false,
                        "An identical rule already exists: " + rule.ruleId());
            }
        }
        apply(new AccessRuleAllowed(shareId, command.ruleId(), command.accessType(), command.accessTo(),
                command.level()));
        return status(null);
    }

    @CommandHandler
    public ShareResponse handle(DenyAccess command, ConflictResolver conflicts) {
        visibleTo(command.tenantScope());
        rejectIfMovedOn(conflicts);
        refuseUnless(ShareTransitions.check(state, ShareAction.DENY_ACCESS, null, null, false),
                ShareAction.DENY_ACCESS, null);
        Rule rule = state.rules().get(command.ruleId());
        if (rule == null) {
            throw new Rejection(Rejection.Reason.NOT_FOUND, ShareCommands.RESOURCE, shareId,
                    ShareAction.DENY_ACCESS.wireName(), null, null, false,
                    "Share " + TenantIds.bare(shareId) + " has no access rule " + command.ruleId());
        }
        if (rule.state() != AccessRuleState.QUEUED_TO_DENY && rule.state() != AccessRuleState.DENYING) {
            apply(new AccessRuleDenyQueued(shareId, command.ruleId()));
        }
        return status(null);
    }

    @CommandHandler
    public ShareResponse.SyncBatch handle(StartAccessRulesSync command, ShareTimeouts timeouts,
                                          DeadlineManager deadlines, ConflictResolver conflicts) {
        rejectIfMovedOn(conflicts);
        if (state.status() == ShareStatus.DELETED || state.status() == ShareStatus.UNMANAGED) {
            throw invalidState(ShareAction.ALLOW_ACCESS, "status " + state.status() + " has no rules to sync", false);
        }
        if (state.syncId() != null) {
            Map<String, Object> fields = stateFields();
            fields.put("syncId", state.syncId());
            throw new Rejection(Rejection.Reason.INVALID_STATE, ShareCommands.RESOURCE, shareId, "sync", fields,
                    version, true, "Sync " + state.syncId() + " is already running");
        }
        List<String> queued = state.rules().values().stream().filter(r -> r.state().queued())
                .map(Rule::ruleId).toList();
        if (queued.isEmpty()) {
            return new ShareResponse.SyncBatch(shareId, null, List.of(), version);
        }
        apply(new AccessRulesSyncStarted(shareId, command.syncId(), queued));
        deadlines.schedule(timeouts.sync(), ShareDeadlines.SYNC,
                new SyncTimeout(command.syncId(), timeouts.sync().toString()));
        return new ShareResponse.SyncBatch(shareId, command.syncId(), ShareResponse.rules(state).stream()
                .filter(r -> queued.contains(r.id())).toList(), version);
    }

    @CommandHandler
    public ShareResponse handle(SettleAccessRulesSync command, ConflictResolver conflicts) {
        rejectIfMovedOn(conflicts);
        if (!command.syncId().equals(state.syncId())) {
            if (state.endedSyncs().contains(command.syncId())) {
                return status(null);
            }
            throw new Rejection(Rejection.Reason.STALE_TASK, ShareCommands.RESOURCE, shareId, "sync-result",
                    stateFields(), version, false, "Sync " + command.syncId() + " is not the running sync");
        }
        List<String> claimed = state.rules().values().stream()
                .filter(r -> r.state() == AccessRuleState.APPLYING || r.state() == AccessRuleState.DENYING)
                .map(Rule::ruleId).toList();
        List<String> unknown = new ArrayList<>(command.results().keySet());
        unknown.removeAll(state.rules().keySet());
        List<String> missing = new ArrayList<>(claimed);
        missing.removeAll(command.results().keySet());
        if (!unknown.isEmpty() || !missing.isEmpty()) {
            throw Rejection.validation(ShareCommands.RESOURCE, shareId, "sync-result",
                    "results must name every rule of the batch and no other; unknown " + unknown + ", missing " + missing);
        }
        Map<String, RuleOutcome> results = new LinkedHashMap<>();
        command.results().entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> results.put(e.getKey(), e.getValue()));
        apply(new AccessRulesSyncSettled(shareId, command.syncId(), results));
        return status(null);
    }

    @DeadlineHandler(deadlineName = ShareDeadlines.SYNC)
    public void on(SyncTimeout deadline) {
        if (deadline.syncId().equals(state.syncId())) {
            apply(new AccessRulesSyncTimedOut(shareId, deadline.syncId(), deadline.timeout()));
        }
    }

    @EventSourcingHandler
    void on(ShareEvent event, @SequenceNumber long sequence) {
        shareId = event.shareId();
        state = ShareState.evolve(state, event);
        version = sequence;
    }

    // ---------------------------------------------------------------------------------------

    private void resetStatus(RequestShareAction command, ExportPaths exportPaths) {
        ShareStatus target = ShareStatus.valueOf(command.parameters().get("status"));
        boolean forced = "true".equals(command.parameters().get("force"));
        if (target.transitional()) {
            throw Rejection.validation(ShareCommands.RESOURCE, shareId, ShareAction.RESET_STATUS.wireName(),
                    "reset-status cannot set a transitional status: no task would ever end it");
        }
        if (!forced && !state.status().error()) {
            throw invalidState(ShareAction.RESET_STATUS, "status " + state.status()
                    + " is not an error status; send force: true to reset it anyway", false);
        }
        Task task = state.shareTask();
        apply(new ShareStatusReset(shareId, target, forced, task == null ? null : task.taskId(),
                task == null ? null : task.snapshotId(), task == null ? null : task.snapshotFailure()));
        releasePathIfGone(exportPaths);
    }

    private void releasePathIfGone(ExportPaths exportPaths) {
        if (state.exportPath() != null
                && (state.status() == ShareStatus.DELETED || state.status() == ShareStatus.UNMANAGED)) {
            exportPaths.release(state.exportPath(), shareId);
        }
    }

    /**
     * The running task the report is about, or null when the report repeats how a task already
     * ended (answered without a new event); any other report is stale.
     */
    private Task current(String taskId, TaskEnd outcome, String report) {
        Task task = state.tasks().get(taskId);
        if (task != null) {
            return task;
        }
        TaskEnd ended = state.endedTasks().get(taskId);
        if (ended == outcome) {
            return null;
        }
        throw new Rejection(Rejection.Reason.STALE_TASK, ShareCommands.RESOURCE, shareId, report, stateFields(),
                version, false, ended == null
                ? "Task " + taskId + " is not a current task"
                : "Task " + taskId + " already ended: " + ended);
    }

    private void refuseUnless(Verdict verdict, ShareAction action, String snapshotId) {
        switch (verdict.kind()) {
            case ALLOWED, REPEAT -> {
            }
            case NO_SNAPSHOT -> throw noSnapshot(action, snapshotId);
            case INVALID -> throw Rejection.validation(ShareCommands.RESOURCE, shareId, action.wireName(),
                    action.wireName() + " is not valid: " + verdict.refusal());
            case REFUSED -> throw invalidState(action, verdict.refusal(), verdict.retryable());
        }
    }

    private Rejection noSnapshot(ShareAction action, String snapshotId) {
        return new Rejection(Rejection.Reason.NOT_FOUND, ShareCommands.RESOURCE, shareId, action.wireName(), null,
                null, false, "Share " + TenantIds.bare(shareId) + " has no snapshot " + snapshotId);
    }

    /**
     * A stale {@code If-Match} is answered 412 before any business rule, so the caller learns that
     * it acted on an old view rather than why the old view's action would fail.
     */
    private static void rejectIfMovedOn(ConflictResolver conflicts) {
        conflicts.detectConflicts(unseenEvents -> !unseenEvents.isEmpty());
    }

    private void visibleTo(String tenantScope) {
        if (tenantScope != null && !tenantScope.equals(state.tenant())) {
            throw Rejection.notFound(ShareCommands.RESOURCE, shareId);
        }
    }

    private Rejection invalidState(ShareAction action, String why, boolean retryable) {
        return new Rejection(Rejection.Reason.INVALID_STATE, ShareCommands.RESOURCE, shareId, action.wireName(),
                stateFields(), version, retryable, action.wireName() + " is not allowed: " + why);
    }

    /**
     * The state fields a refusal names. The share's status is {@code shareStatus} here, because
     * {@code status} in a problem body is RFC 9457's HTTP status code.
     */
    private Map<String, Object> stateFields() {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("shareStatus", state.status());
        fields.put("taskId", state.shareTaskId());
        fields.put("size", state.size());
        fields.put("accessRulesStatus", state.accessRulesStatus());
        Map<String, Object> snapshots = new LinkedHashMap<>();
        state.snapshots().values().forEach(s -> snapshots.put(s.snapshotId(),
                Map.of("status", s.status(), "leaseOwners",
                        s.leases().keySet().stream().map(TenantIds::bare).toList())));
        fields.put("snapshots", snapshots);
        return fields;
    }

    private ShareResponse status(String startedTaskId) {
        return ShareResponse.of(state, startedTaskId, version);
    }

    private static void scheduleTimeout(DeadlineManager deadlines, String taskId, Duration timeout) {
        deadlines.schedule(timeout, ShareDeadlines.TASK, new TaskTimeout(taskId, timeout.toString()));
    }
}
