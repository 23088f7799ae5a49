package io.interlock.command.instance;

import io.interlock.instance.InstanceAction;
import org.axonframework.modelling.command.TargetAggregateIdentifier;
import org.axonframework.modelling.command.TargetAggregateVersion;

import java.util.Map;

/**
 * What callers ask of instances. Task ids are chosen by the sender, so a command that is retried
 * after losing a race to another replica starts the same task, not a second one.
 * {@code tenantScope} is the caller's tenant, or null for callers that serve every tenant.
 */
public final class InstanceCommands {

    /** How instances are named in problem responses and the audit trail. */
    public static final String RESOURCE = "instance";

    private InstanceCommands() {
    }

    public record CreateInstance(@TargetAggregateIdentifier String instanceId, String tenant, String name,
                                 String flavor, String taskId) {
    }

    /** Any row of the table on an existing instance: a task to start, or an immediate change. */
    public record RequestInstanceAction(@TargetAggregateIdentifier String instanceId, InstanceAction action,
                                        String taskId, Map<String, String> parameters, String tenantScope,
                                        boolean privileged, @TargetAggregateVersion Long expectedVersion) {
        public RequestInstanceAction {
            parameters = parameters == null ? Map.of() : Map.copyOf(parameters);
        }
    }

    public record CompleteInstanceTask(@TargetAggregateIdentifier String instanceId, String taskId, String result,
                                       @TargetAggregateVersion Long expectedVersion) {
    }

    public record FailInstanceTask(@TargetAggregateIdentifier String instanceId, String taskId, String reason,
                                   @TargetAggregateVersion Long expectedVersion) {
    }
}
