package io.interlock.command.process;

import io.interlock.command.gateway.Caller;
import io.interlock.command.gateway.CommandDispatcher;
import io.interlock.command.gateway.Versions;
import io.interlock.command.node.NodeCommands.ConfirmNodeVersion;
import io.interlock.command.subsystem.SubsystemController;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import java.net.URI;

/**
 * {@code POST /v1/nodes/{nodeId}/placements}: 201 with the chosen nqn and nsid, 200 when the lvol
 * was already placed on this node. The ETag is the chosen subsystem's version.
 */
@RestController
public class PlacementController {

    private final Placement placement;
    private final CommandDispatcher commands;

    public PlacementController(Placement placement, CommandDispatcher commands) {
        this.placement = placement;
        this.commands = commands;
    }

    public record PlacementRequest(@NotNull @Pattern(regexp = SubsystemController.LVOL_PATTERN) String lvolId,
                                   @NotNull Boolean namespaced) {
    }

    @ApiResponse(responseCode = "201", description = "Placed: the subsystem and nsid")
    @ApiResponse(responseCode = "200", description = "The lvol is placed on this node already: where")
    @PostMapping("/v1/nodes/{nodeId}/placements")
    public ResponseEntity<Placement.Placed> place(@PathVariable String nodeId,
                                                  @Valid @RequestBody PlacementRequest body,
                                                  HttpServletRequest request) {
        Caller caller = Caller.current();
        String node = caller.resource(nodeId);
        // A placement acts on the node: under If-Match, the node must still be at the version seen.
        Long expected = Versions.expected(request);
        if (expected != null) {
            commands.send(new ConfirmNodeVersion(node, caller.tenantScope(), expected));
        }
        Placement.Placed placed = placement.place(node, body.lvolId(), body.namespaced(), caller.tenantScope());
        if (!placed.placed()) {
            return Versions.respond(HttpStatus.OK, placed.version(), placed);
        }
        return ResponseEntity.created(URI.create("/v1/subsystems/" + caller.written(placed.nqn()) + "/namespaces/"
                        + placed.lvolId()))
                .eTag(Versions.etag(placed.version())).body(placed);
    }
}
