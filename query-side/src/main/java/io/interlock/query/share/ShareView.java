package io.interlock.query.share;

import io.interlock.query.access.BareId;
import io.interlock.share.AccessLevel;
import io.interlock.share.AccessRuleState;
import io.interlock.share.AccessRulesStatus;
import io.interlock.share.AccessType;
import io.interlock.share.ShareAction;
import io.interlock.share.ShareState;
import io.interlock.share.ShareStatus;
import io.interlock.share.ShareTransitions;
import io.interlock.share.SnapshotStatus;
import tools.jackson.databind.annotation.JsonSerialize;

import java.time.Instant;
import java.util.List;

/**
 * One share as dashboards see it: every state field, its snapshots with their read-lease owners,
 * its access rules, the version to send back in {@code If-Match}, and the actions the transition
 * table allows right now.
 */
public record ShareView(@JsonSerialize(using = BareId.class) String id, String tenant, long size, String protocol, ShareStatus status,
                        AccessRulesStatus accessRulesStatus, String exportPath,
                        @JsonSerialize(using = BareId.class) String sourceShareId,
                        String sourceSnapshotId, String taskId, ShareAction taskAction, Instant taskStartedAt,
                        List<Snapshot> snapshots, List<Rule> accessRules, List<String> allowedActions, long version,
                        Instant updatedAt) {

    public record Snapshot(String id, String name, SnapshotStatus status, long size, String taskId,
                           
                           @JsonSerialize(contentUsing = BareId.class) List<String> leaseOwners) {
    }

    public record Rule(String id, AccessType accessType, String accessTo, AccessLevel level, AccessRuleState state) {
    }

    static ShareView of(ShareState state, long version, Instant at, Instant taskStartedAt) {
        ShareState.Task task = state.shareTask();
        return new ShareView(state.shareId(), state.tenant(), state.size(), state.protocol(), state.status(),
                state.accessRulesStatus(), state.exportPath(), state.sourceShareId(), state.sourceSnapshotId(),
                task == null ? null : task.taskId(), task == null ? null : task.action(),
                task == null ? null : taskStartedAt,
                state.snapshots().values().stream().map(s -> new Snapshot(s.snapshotId(), s.name(), s.status(),
                        s.size(), s.taskId(), List.copyOf(s.leases().keySet()))).toList(),
                state.rules().values().stream().map(r -> new Rule(r.ruleId(), r.accessType(), r.accessTo(), r.level(),
                        r.state())).toList(),
                ShareTransitions.allowedActions(state), version, at);
    }
}
