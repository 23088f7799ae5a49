package io.interlock.command.share;

import io.interlock.share.AccessLevel;
import io.interlock.share.AccessType;
import io.interlock.share.RuleOutcome;
import io.interlock.share.ShareAction;
import org.axonframework.modelling.command.TargetAggregateIdentifier;
import org.axonframework.modelling.command.TargetAggregateVersion;

import java.util.Map;

/**
 * What callers ask of shares. Task, rule and sync ids are chosen by the sender, so a command that
 * is retried after losing a race to another replica starts the same task, not a second one.
 * {@code tenantScope} is the caller's tenant, or null for callers that serve every tenant.
 */
public final class ShareCommands {

    /** How shares are named in problem responses and the audit trail. */
    public static final String RESOURCE = "share";

    private ShareCommands() {
    }

    public record CreateShare(@TargetAggregateIdentifier String shareId, String tenant, long size, String protocol,
                              String taskId) {
    }

    /** Sent only after the read lease on the source snapshot is held by {@code shareId}. */
    public record CreateShareFromSnapshot(@TargetAggregateIdentifier String shareId, String tenant, long size,
                                          String protocol, String sourceShareId, String snapshotId, String taskId) {
    }

    public record ManageShare(@TargetAggregateIdentifier String shareId, String tenant, long size, String protocol,
                              String exportPath, String taskId) {
    }

    /**
     * Any row of the table on an existing share. {@code snapshotId} and {@code snapshotName} serve
     * the snapshot rows and revert, {@code newSize} extend and shrink.
     */
    public record RequestShareAction(@TargetAggregateIdentifier String shareId, ShareAction action, String taskId,
                                     String snapshotId, String snapshotName, Long newSize,
                                     Map<String, String> parameters, String tenantScope, boolean privileged,
                                     @TargetAggregateVersion Long expectedVersion) {
        public RequestShareAction {
            parameters = parameters == null ? Map.of() : Map.copyOf(parameters);
        }
    }

    public record CompleteShareTask(@TargetAggregateIdentifier String shareId, String taskId, String result,
                                    @TargetAggregateVersion Long expectedVersion) {
    }

    public record FailShareTask(@TargetAggregateIdentifier String shareId, String taskId, String reason,
                                boolean possibleDataLoss, @TargetAggregateVersion Long expectedVersion) {
    }

    /** Takes a read lease on a snapshot of this share for {@code owner}; a repeat by the same owner adds nothing. */
    public record AcquireSnapshotLease(@TargetAggregateIdentifier String shareId, String snapshotId, String owner,
                                       String tenantScope) {
    }

    /** Gives the owner's lease back; releasing a lease that is not held adds nothing. */
    public record ReleaseSnapshotLease(@TargetAggregateIdentifier String shareId, String snapshotId, String owner) {
    }

    public record AllowAccess(@TargetAggregateIdentifier String shareId, String ruleId, AccessType accessType,
                              String accessTo, AccessLevel level, String tenantScope,
                              @TargetAggregateVersion Long expectedVersion) {
    }

    public record DenyAccess(@TargetAggregateIdentifier String shareId, String ruleId, String tenantScope,
                             @TargetAggregateVersion Long expectedVersion) {
    }

    /** The agent claims every queued rule. */
    public record StartAccessRulesSync(@TargetAggregateIdentifier String shareId, String syncId,
                                       @TargetAggregateVersion Long expectedVersion) {
    }

    public record SettleAccessRulesSync(@TargetAggregateIdentifier String shareId, String syncId,
                                        Map<String, RuleOutcome> results,
                                        @TargetAggregateVersion Long expectedVersion) {
        public SettleAccessRulesSync {
            results = results == null ? Map.of() : Map.copyOf(results);
        }
    }
}
