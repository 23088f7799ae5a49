package io.interlock.command.process;

import io.interlock.command.gateway.Caller;
import io.interlock.command.gateway.CreatesResource;
import io.interlock.command.gateway.Versions;
import io.interlock.command.node.NodeController;
import io.interlock.command.subsystem.SubsystemController;
import io.interlock.command.subsystem.SubsystemStatus;
import io.interlock.lifecycle.TenantIds;
import io.interlock.subsystem.SubsystemState;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.net.URI;

/** {@code POST /v1/subsystems} and {@code DELETE /v1/subsystems/{nqn}}: each moves a node slot too. */
@RestController
@RequestMapping("/v1/subsystems")
public class SubsystemProvisioningController {

    private final SubsystemProvisioning provisioning;

    public SubsystemProvisioningController(SubsystemProvisioning provisioning) {
        this.provisioning = provisioning;
    }

    public record CreateRequest(@NotNull @Pattern(regexp = SubsystemController.NQN_PATTERN) String nqn,
                                @NotNull @Pattern(regexp = NodeController.REFERENCE_PATTERN) String nodeId,
                                @Min(1) @Max(SubsystemState.MAX_NAMESPACES_LIMIT) Integer maxNamespaces) {
    }

    @PostMapping
    @CreatesResource
    public ResponseEntity<SubsystemStatus> create(@Valid @RequestBody CreateRequest body) {
        int maxNamespaces = body.maxNamespaces() != null ? body.maxNamespaces() : SubsystemState.DEFAULT_MAX_NAMESPACES;
        Caller caller = Caller.current();
        // A subsystem is its node's tenant's: its nqn is named in that tenant's id space.
        String nodeId = caller.resource(body.nodeId());
        String nqn = TenantIds.qualify(TenantIds.tenantOf(nodeId), body.nqn());
        SubsystemStatus created = provisioning.create(nodeId, nqn, maxNamespaces, false, caller.tenantScope());
        return ResponseEntity.created(URI.create("/v1/subsystems/" + caller.written(nqn))).eTag(Versions.etag(0))
                .body(created);
    }

    @DeleteMapping("/{nqn}")
    public ResponseEntity<SubsystemStatus> delete(@PathVariable String nqn, HttpServletRequest request) {
        Caller caller = Caller.current();
        SubsystemStatus deleted = provisioning.delete(caller.resource(nqn), caller.tenantScope(),
                Versions.expected(request));
        return Versions.respond(HttpStatus.OK, deleted.version(), deleted);
    }
}
