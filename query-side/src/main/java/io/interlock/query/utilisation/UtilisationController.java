package io.interlock.query.utilisation;

import io.interlock.query.access.BareId;
import io.interlock.query.access.Reader;
import io.interlock.query.node.NodeReadModel;
import io.interlock.query.node.NodeView;
import io.interlock.query.node.NodeViews;
import io.interlock.query.replay.Projections;
import io.interlock.query.subsystem.SubsystemReadModel;
import io.interlock.query.subsystem.SubsystemView;
import io.interlock.query.subsystem.SubsystemViews;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.annotation.JsonSerialize;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * {@code GET /v1/utilisation}: used and maximum subsystem slots per node, and used and maximum
 * namespace slots per active subsystem, summed per node and overall. The node's figures come from
 * the node read model (the node is the authority on its slots, so a slot claimed for a subsystem
 * still being created counts); the namespace figures from the subsystem read model.
 */
@RestController
public class UtilisationController {

    private final NodeViews nodes;
    private final SubsystemViews subsystems;
    private final NodeReadModel nodeModel;
    private final SubsystemReadModel subsystemModel;
    private final Projections projections;

    public UtilisationController(NodeViews nodes, SubsystemViews subsystems, NodeReadModel nodeModel,
                                 SubsystemReadModel subsystemModel, Projections projections) {
        this.nodes = nodes;
        this.subsystems = subsystems;
        this.nodeModel = nodeModel;
        this.subsystemModel = subsystemModel;
        this.projections = projections;
    }

    public record SubsystemUse(@JsonSerialize(using = BareId.class) String nqn, boolean dedicated, int liveNamespaces, int maxNamespaces, long version) {
    }

    public record NodeUse(@JsonSerialize(using = BareId.class) String nodeId, String tenant, int usedSubsystems, int maxSubsystems, int liveNamespaces,
                          int maxNamespaces, long version, List<SubsystemUse> subsystems) {
    }

    public record Totals(int nodes, long usedSubsystems, long maxSubsystems, long liveNamespaces, long maxNamespaces) {
    }

    public record Utilisation(Totals totals, List<NodeUse> nodes) {
    }

    @GetMapping("/v1/utilisation")
    public Utilisation utilisation(@RequestParam(required = false) String nodeId,
                                   @RequestParam(required = false) String tenant) {
        projections.ensureComplete(nodeModel);
        projections.ensureComplete(subsystemModel);
        Reader reader = Reader.current();
        if (reader.asksForAnotherTenant(tenant)) {
            return new Utilisation(new Totals(0, 0, 0, 0, 0), List.of());
        }
        String tenantFilter = reader.tenantFilter(tenant);
        String nodeKey = nodeId == null ? null : reader.resource(nodeId);
        Map<String, List<SubsystemView>> byNode = subsystems.activeOn(tenantFilter, nodeKey).stream()
                .collect(Collectors.groupingBy(SubsystemView::nodeId));
        List<NodeUse> uses = nodes.all(tenantFilter, nodeKey).stream()
                .map(node -> use(node, byNode.getOrDefault(node.nodeId(), List.of())))
                .toList();
        Totals totals = new Totals(uses.size(),
                uses.stream().mapToLong(NodeUse::usedSubsystems).sum(),
                uses.stream().mapToLong(NodeUse::maxSubsystems).sum(),
                uses.stream().mapToLong(NodeUse::liveNamespaces).sum(),
                uses.stream().mapToLong(NodeUse::maxNamespaces).sum());
        return new Utilisation(totals, uses);
    }

    private static NodeUse use(NodeView node, List<SubsystemView> active) {
        List<SubsystemUse> subsystemUses = active.stream()
                .map(s -> new SubsystemUse(s.nqn(), s.dedicated(), s.liveNamespaces(), s.maxNamespaces(), s.version()))
                .toList();
        return new NodeUse(node.nodeId(), node.tenant(), node.usedSubsystems(), node.maxSubsystems(),
                subsystemUses.stream().mapToInt(SubsystemUse::liveNamespaces).sum(),
                subsystemUses.stream().mapToInt(SubsystemUse::maxNamespaces).sum(), node.version(), subsystemUses);
    }
}
