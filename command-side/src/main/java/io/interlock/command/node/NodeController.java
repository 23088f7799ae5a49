package io.interlock.command.node;

import io.interlock.command.gateway.Caller;
import io.interlock.command.gateway.CommandDispatcher;
import io.interlock.command.gateway.CreatesResource;
import io.interlock.command.gateway.Versions;
import io.interlock.command.node.NodeCommands.RegisterNode;
import io.interlock.lifecycle.TenantIds;
import io.interlock.node.NodeState;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.net.URI;

/**
 * Node endpoints Placements on a node span nodes and subsystems, so they live in
 * {@code process/}.
 */
@RestController
@RequestMapping("/v1/nodes")
public class NodeController {

    public static final String ID_PATTERN = "[A-Za-z0-9][A-Za-z0-9._-]{0,63}";
    /** A node named in a body: bare, or {@code <tenant>:<id>} from a caller that serves every tenant. */
    public static final String REFERENCE_PATTERN = "(" + ID_PATTERN + ":)?" + ID_PATTERN;
    private static final String DEFAULT_TENANT = "default";

    private final CommandDispatcher commands;

    public NodeController(CommandDispatcher commands) {
        this.commands = commands;
    }

    public record RegisterRequest(@NotNull @Pattern(regexp = ID_PATTERN) String nodeId,
                                  @Min(1) @Max(NodeState.MAX_SUBSYSTEMS_LIMIT) Integer maxSubsystems,
                                  @Pattern(regexp = ID_PATTERN) String tenant) {
    }

    @PostMapping
    @CreatesResource
    public ResponseEntity<NodeStatus> register(@Valid @RequestBody RegisterRequest body) {
        Caller caller = Caller.current();
        String tenant = caller.tenantScope() != null ? caller.tenantScope()
                : body.tenant() != null ? body.tenant() : DEFAULT_TENANT;
        int maxSubsystems = body.maxSubsystems() != null ? body.maxSubsystems() : NodeState.DEFAULT_MAX_SUBSYSTEMS;
        String nodeId = TenantIds.qualify(tenant, body.nodeId());
        commands.send(new RegisterNode(nodeId, tenant, maxSubsystems));
        NodeStatus created = new NodeStatus(nodeId, tenant, maxSubsystems, 0, 0);
        return ResponseEntity.created(URI.create("/v1/nodes/" + caller.written(nodeId))).eTag(Versions.etag(0))
                .body(created);
    }
}
