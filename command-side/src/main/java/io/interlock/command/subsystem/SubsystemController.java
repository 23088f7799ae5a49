package io.interlock.command.subsystem;

import io.interlock.command.gateway.Caller;
import io.interlock.command.gateway.CommandDispatcher;
import io.interlock.command.gateway.Versions;
import io.interlock.command.process.Placement;
import io.interlock.command.subsystem.SubsystemCommands.ChangeNamespace;
import io.interlock.subsystem.NamespaceAction;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
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

/**
 * Namespace endpoints. Each change of a namespace touches one subsystem only; an allocation also
 * claims the lvol on the subsystem's node, as a placement does ({@code process/Placement}), so an
 * lvol has at most one live namespace per node. Creating and deleting a subsystem also moves a
 * node slot, so those endpoints live in {@code process/}.
 */
@RestController
@RequestMapping("/v1/subsystems/{nqn}/namespaces")
public class SubsystemController {

    /**
     * An NVMe Qualified Name: {@code nqn.yyyy-mm.reverse-domain:anything}, at most 223 bytes (the
     * lookahead), which also keeps it inside every column that holds an nqn.
     */
    public static final String NQN_PATTERN =
            "(?=.{1,223}$)nqn\\.[0-9]{4}-[0-9]{2}\\.[A-Za-z0-9.-]+:[A-Za-z0-9._:-]{1,200}";
    public static final String LVOL_PATTERN = "[A-Za-z0-9][A-Za-z0-9._-]{0,127}";

    private final CommandDispatcher commands;
    private final Placement placement;

    public SubsystemController(CommandDispatcher commands, Placement placement) {
        this.commands = commands;
        this.placement = placement;
    }

    public record AllocateRequest(@NotNull @Pattern(regexp = LVOL_PATTERN) String lvolId) {
    }

    @ApiResponse(responseCode = "201", description = "Allocated: the namespace and its nsid")
    @ApiResponse(responseCode = "200", description = "This lvolId has its namespace here already: the same nsid")
    @PostMapping
    public ResponseEntity<NamespaceAnswer> allocate(@PathVariable String nqn, @Valid @RequestBody AllocateRequest body,
                                                    HttpServletRequest request) {
        Caller caller = Caller.current();
        NamespaceAnswer answer = placement.allocateIn(caller.resource(nqn), body.lvolId(), caller.tenantScope(),
                Versions.expected(request));
        if (!answer.allocated()) {
            return Versions.respond(HttpStatus.OK, answer.version(), answer);
        }
        return ResponseEntity.created(URI.create("/v1/subsystems/" + nqn + "/namespaces/" + body.lvolId()))
                .eTag(Versions.etag(answer.version())).body(answer);
    }

    @PostMapping("/{lvolId}/online")
    public ResponseEntity<NamespaceAnswer> online(@PathVariable String nqn, @PathVariable String lvolId,
                                                  HttpServletRequest request) {
        return change(nqn, lvolId, NamespaceAction.ONLINE, request);
    }

    /** Release: the namespace goes IN_DELETION and stops counting against the subsystem's limit. */
    @DeleteMapping("/{lvolId}")
    public ResponseEntity<NamespaceAnswer> release(@PathVariable String nqn, @PathVariable String lvolId,
                                                   HttpServletRequest request) {
        return change(nqn, lvolId, NamespaceAction.RELEASE, request);
    }

    @PostMapping("/{lvolId}/removed")
    public ResponseEntity<NamespaceAnswer> removed(@PathVariable String nqn, @PathVariable String lvolId,
                                                   HttpServletRequest request) {
        return change(nqn, lvolId, NamespaceAction.REMOVE, request);
    }

    private ResponseEntity<NamespaceAnswer> change(String nqn, String lvolId, NamespaceAction action,
                                                   HttpServletRequest request) {
        Caller caller = Caller.current();
        NamespaceAnswer answer = commands.send(new ChangeNamespace(caller.resource(nqn), lvolId, action,
                caller.tenantScope(), Versions.expected(request)));
        return Versions.respond(HttpStatus.OK, answer.version(), answer);
    }
}
