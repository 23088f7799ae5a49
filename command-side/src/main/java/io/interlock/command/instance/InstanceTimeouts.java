package io.interlock.command.instance;

import io.interlock.instance.InstanceAction;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.boot.context.properties.bind.Name;

import java.time.Duration;
import java.util.Map;

/**
 * How long each instance task may run before it is timed out:
 * {@code interlock.timeouts.instance.default}, overridden per action by wire name under
 * {@code interlock.timeouts.instance.per-action}.
 */
@ConfigurationProperties("interlock.timeouts.instance")
public record InstanceTimeouts(@Name("default") @DefaultValue("PT10M") Duration fallback,
                               Map<String, Duration> perAction) {

    public InstanceTimeouts {
        perAction = perAction == null ? Map.of() : Map.copyOf(perAction);
    }

    public Duration of(InstanceAction action) {
        return perAction.getOrDefault(action.wireName(), fallback);
    }
}
