package io.interlock.command.share;

import io.interlock.command.gateway.BareId;
import io.interlock.share.AccessLevel;
import io.interlock.share.AccessRuleState;
import io.interlock.share.AccessRulesStatus;
import io.interlock.share.AccessType;
import io.interlock.share.ShareState;
import io.interlock.share.ShareStatus;
import io.interlock.share.SnapshotStatus;
import tools.jackson.databind.annotation.JsonSerialize;

import java.util.List;

/**
 * What every share command answers: the id, every state field, the snapshots and rules, and the
 * version. {@code taskId} is the task this request started, or else the share's running task.
 */
public record ShareResponse(@JsonSerialize(using = BareId.class) String id, String tenant, long size, String protocol,
                            ShareStatus status, String taskId, String exportPath,
                            @JsonSerialize(using = BareId.class) String sourceShareId, String sourceSnapshotId,
                            AccessRulesStatus accessRulesStatus, List<SnapshotView> snapshots,
                            List<RuleView> accessRules, long version) {

    public record SnapshotView(String id, String name, SnapshotStatus status, long size, String taskId,
                               @JsonSerialize(contentUsing = BareId.class) List<String> leaseOwners) {
    }

    public record RuleView(String id, AccessType accessType, String accessTo, AccessLevel level,
                           AccessRuleState state) {
    }

    static ShareResponse of(ShareState state, String startedTaskId, long version) {
        return new ShareResponse(state.shareId(), state.tenant(), state.size(), state.protocol(), state.status(),
                startedTaskId != null ? startedTaskId : state.shareTaskId(), state.exportPath(),
                state.sourceShareId(), state.sourceSnapshotId(), state.accessRulesStatus(),
                state.snapshots().values().stream().map(s -> new SnapshotView(s.snapshotId(), s.name(), s.status(),
                        s.size(), s.taskId(), List.copyOf(s.leases().keySet()))).toList(),
                rules(state), version);
    }

    static List<RuleView> rules(ShareState state) {
        return state.rules().values().stream().map(r -> new RuleView(r.ruleId(), r.accessType(), r.accessTo(),
                r.level(), r.state())).toList();
    }

    /** The agent's batch: the rules it claimed, now APPLYING or DENYING; no syncId when none was queued. */
    public record SyncBatch(@JsonSerialize(using = BareId.class) String shareId, String syncId, List<RuleView> rules,
                            long version) {
    }

    /**
     * What the source share answers to a lease request: whether this call took the lease (false
     * when the owner already held it), and what the new share inherits from the snapshot.
     */
    public record LeaseGrant(String shareId, String snapshotId, String owner, boolean acquired, String tenant,
                             long size, String protocol, long version) {
    }
}
