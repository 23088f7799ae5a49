package io.interlock.command.process;

import io.interlock.command.gateway.Caller;
import io.interlock.command.gateway.Versions;
import io.interlock.command.subsystem.SubsystemController;
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

    public PlacementController(Placement placement) {
        this.placement = placement;
    }

    public record PlacementRequest(@NotNull @Pattern(regexp = SubsystemController.LVOL_PATTERN) String lvolId,
                                   @NotNull Boolean namespaced) {
    }

    @PostMapping("/v1/nodes/{nodeId}/placements")
    public ResponseEntity<Placement.Placed> place(@PathVariable String nodeId,
                                                  @Valid @RequestBody PlacementRequest body) {
        Caller caller = Caller.current();
        Placement.Placed placed = placement.place(caller.resource(nodeId), body.lvolId(), body.namespaced(),
                caller.tenantScope());
        if (!placed.placed()) {
            return Versions.respond(HttpStatus.OK, placed.version(), placed);
        }
        return ResponseEntity.created(URI.create("/v1/subsystems/" + caller.written(placed.nqn()) + "/namespaces/"
                        + placed.lvolId()))
                .eTag(Versions.etag(placed.version())).body(placed);
    }
}
