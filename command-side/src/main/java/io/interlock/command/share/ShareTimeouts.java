package io.interlock.command.share;

import io.interlock.share.ShareAction;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.boot.context.properties.bind.Name;

import java.time.Duration;
import java.util.Map;

/**
 * How long each share task may run before it is timed out:
 * {@code interlock.timeouts.share.default}, overridden per action by wire name under
 * {@code per-action}. {@code lease} is how long a snapshot's read lease lives unless released;
 * it outlives a create-from-snapshot's timeout, so the saga releases it first in the normal case.
 * {@code sync} bounds an agent's access-rule sync.
 */
@ConfigurationProperties("interlock.timeouts.share")
public record ShareTimeouts(@Name("default") @DefaultValue("PT10M") Duration fallback,
                            Map<String, Duration> perAction,
                            @DefaultValue("PT2H") Duration lease,
                            @DefaultValue("PT10M") Duration sync) {

    public ShareTimeouts {
        perAction = perAction == null ? Map.of() : Map.copyOf(perAction);
        // A lease that expired before its copy could time out would let the snapshot be deleted
        // under a copy still running.
        Duration copy = perAction.getOrDefault(ShareAction.CREATE_FROM_SNAPSHOT.wireName(), fallback);
        if (lease != null && copy != null && lease.compareTo(copy) <= 0) {
            throw new IllegalStateException("interlock.timeouts.share.lease (" + lease
                    + ") must be longer than the create-from-snapshot timeout (" + copy + ")");
        }
    }

    public Duration of(ShareAction action) {
        return perAction.getOrDefault(action.wireName(), fallback);
    }
}
