package io.interlock.query.audit;

import io.interlock.instance.InstanceEvents.InstanceEvent;
import io.interlock.instance.InstanceState;
import io.interlock.node.NodeEvents.NodeEvent;
import io.interlock.node.NodeState;
import io.interlock.subsystem.SubsystemEvents.SubsystemEvent;
import io.interlock.subsystem.SubsystemState;
import io.interlock.replacement.ReplacementEvents.ReplacementEvent;
import io.interlock.replacement.ReplacementState;
import io.interlock.volume.VolumeEvents.VolumeEvent;
import io.interlock.volume.VolumeState;
import io.interlock.share.ShareEvents.ShareEvent;
import io.interlock.share.ShareState;
import org.springframework.stereotype.Component;

import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * The resource types the audit API knows: which events belong to each, and the shared fold that
 * turns them into state. A new resource type adds one entry.
 */
@Component
public class AuditedTypes {

    /** One audited type: its events' common supertype and its fold. */
    public record AuditedType(String type, Class<?> eventType, BiFunction<Object, Object, Object> fold) {
        public boolean owns(Object payload) {
            return eventType.isInstance(payload);
        }
    }

    private final Map<String, AuditedType> types = Map.of(
            "instances", new AuditedType("instances", InstanceEvent.class,
                    (state, event) -> InstanceState.evolve((InstanceState) state, (InstanceEvent) event)),
            "nodes", new AuditedType("nodes", NodeEvent.class,
                    (state, event) -> NodeState.evolve((NodeState) state, (NodeEvent) event)),
            "subsystems", new AuditedType("subsystems", SubsystemEvent.class,
                    (state, event) -> SubsystemState.evolve((SubsystemState) state, (SubsystemEvent) event)),
            "volumes", new AuditedType("volumes", VolumeEvent.class,
                    (state, event) -> VolumeState.evolve((VolumeState) state, (VolumeEvent) event)),
            "replacements", new AuditedType("replacements", ReplacementEvent.class,
                    (state, event) -> ReplacementState.evolve((ReplacementState) state, (ReplacementEvent) event)),
            "shares", new AuditedType("shares", ShareEvent.class,
                    (state, event) -> ShareState.evolve((ShareState) state, (ShareEvent) event)));

    public Optional<AuditedType> find(String type) {
        return Optional.ofNullable(types.get(type));
    }
}
