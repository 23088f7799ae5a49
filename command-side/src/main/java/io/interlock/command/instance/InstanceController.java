package io.interlock.command.instance;

import io.interlock.command.gateway.ApiDocsConfig;
import io.interlock.command.gateway.Caller;
import io.interlock.command.gateway.CommandDispatcher;
import io.interlock.command.gateway.CreatesResource;
import io.interlock.command.gateway.InvalidField;
import io.interlock.command.gateway.Text;
import io.interlock.command.gateway.Versions;
import io.interlock.command.instance.InstanceCommands.CompleteInstanceTask;
import io.interlock.command.instance.InstanceCommands.CreateInstance;
import io.interlock.command.instance.InstanceCommands.FailInstanceTask;
import io.interlock.command.instance.InstanceCommands.RequestInstanceAction;
import io.interlock.instance.InstanceAction;
import io.interlock.instance.InstanceTransitions;
import io.interlock.instance.TaskState;
import io.interlock.instance.VmState;
import io.interlock.lifecycle.Rejection;
import io.interlock.lifecycle.TenantIds;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
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
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/** Instance endpoints It validates, builds a command and sends it; nothing more. */
@RestController
@RequestMapping("/v1/instances")
public class InstanceController {

    static final String ID_PATTERN = "[A-Za-z0-9][A-Za-z0-9._-]{0,63}";
    private static final String DEFAULT_TENANT = "default";

    private final CommandDispatcher commands;

    public InstanceController(CommandDispatcher commands) {
        this.commands = commands;
    }

    public record CreateRequest(@Pattern(regexp = ID_PATTERN) String id,
                                @NotBlank @Text(max = 255) String name,
                                @NotBlank @Text(max = 255) String flavor,
                                @Pattern(regexp = ID_PATTERN) String tenant) {
    }

    public enum RebootType { SOFT, HARD }

    /** The union of every action's parameters; each action reads the ones it needs. */
    public record ActionRequest(RebootType type,
                                @Text(min = 1, max = 255) String flavor,
                                Boolean offload,
                                @Text(min = 1, max = 255) String host,
                                Boolean hostDown,
                                @Text(min = 1, max = 255) String name,
                                VmState vmState) {
        static final ActionRequest EMPTY = new ActionRequest(null, null, null, null, null, null, null);
    }

    public record CompleteRequest(@Text(max = 4096, multiline = true) String result) {
    }

    public record FailRequest(@NotBlank @Text(max = 4096, multiline = true) String reason) {
    }

    @PostMapping
    @CreatesResource
    public ResponseEntity<InstanceStatus> create(@Valid @RequestBody CreateRequest body) {
        Caller caller = Caller.current();
        String id = body.id() != null ? body.id() : UUID.randomUUID().toString();
        String tenant = caller.tenantScope() != null ? caller.tenantScope()
                : body.tenant() != null ? body.tenant() : DEFAULT_TENANT;
        String taskId = newTaskId();
        String instanceId = TenantIds.qualify(tenant, id);
        commands.send(new CreateInstance(instanceId, tenant, body.name(), body.flavor(), taskId));
        InstanceStatus created = new InstanceStatus(instanceId, tenant, body.name(), body.flavor(), VmState.BUILDING,
                TaskState.SPAWNING, taskId, null, false, 0);
        return ResponseEntity.created(URI.create("/v1/instances/" + caller.written(instanceId)))
                .eTag(Versions.etag(0)).body(created);
    }

    @ApiResponse(responseCode = "202", description = ApiDocsConfig.TASK_STARTED)
    @ApiResponse(responseCode = "200", description = "lock, unlock and reset-state: done at once")
    @PostMapping("/{id}/actions/{action}")
    public ResponseEntity<InstanceStatus> act(@PathVariable String id, @PathVariable String action,
                                              @Valid @RequestBody(required = false) ActionRequest body,
                                              HttpServletRequest request) {
        return request(id, resolve(action, body == null ? ActionRequest.EMPTY : body),
                body == null ? ActionRequest.EMPTY : body, request);
    }

    @ApiResponse(responseCode = "202", description = ApiDocsConfig.TASK_STARTED)
    @DeleteMapping("/{id}")
    public ResponseEntity<InstanceStatus> delete(@PathVariable String id, HttpServletRequest request) {
        return request(id, InstanceAction.DELETE, ActionRequest.EMPTY, request);
    }

    @PostMapping("/{id}/tasks/{taskId}/complete")
    public ResponseEntity<InstanceStatus> complete(@PathVariable String id, @PathVariable String taskId,
                                                   @Valid @RequestBody(required = false) CompleteRequest body,
                                                   HttpServletRequest request) {
        InstanceStatus status = commands.send(new CompleteInstanceTask(Caller.current().resource(id), taskId,
                body == null ? null : body.result(), Versions.expected(request)));
        return Versions.respond(HttpStatus.OK, status.version(), status);
    }

    @PostMapping("/{id}/tasks/{taskId}/fail")
    public ResponseEntity<InstanceStatus> fail(@PathVariable String id, @PathVariable String taskId,
                                               @Valid @RequestBody FailRequest body, HttpServletRequest request) {
        InstanceStatus status = commands.send(new FailInstanceTask(Caller.current().resource(id), taskId, body.reason(),
                Versions.expected(request)));
        return Versions.respond(HttpStatus.OK, status.version(), status);
    }

    private ResponseEntity<InstanceStatus> request(String id, InstanceAction action, ActionRequest body,
                                                   HttpServletRequest request) {
        Caller caller = Caller.current();
        InstanceStatus status = commands.send(new RequestInstanceAction(caller.resource(id), action, newTaskId(), parameters(action, body),
                caller.tenantScope(), caller.admin(), Versions.expected(request)));
        boolean immediate = InstanceTransitions.row(action).immediate();
        return Versions.respond(immediate ? HttpStatus.OK : HttpStatus.ACCEPTED, status.version(), status);
    }

    /** Maps the URL's action name onto a table row; a hard reboot is its own row. */
    private static InstanceAction resolve(String wireName, ActionRequest body) {
        InstanceAction action = InstanceAction.fromWire(wireName);
        if (action == null || action == InstanceAction.CREATE) {
            throw Rejection.validation(InstanceCommands.RESOURCE, null, wireName, "Unknown instance action: " + wireName);
        }
        if (action == InstanceAction.REBOOT && body.type() == RebootType.HARD) {
            return InstanceAction.REBOOT_HARD;
        }
        return action;
    }

    /** The body fields each action reads; any other field sent to it is refused, not ignored. */
    private static final Map<InstanceAction, Set<String>> TAKES = Map.of(
            InstanceAction.REBOOT, Set.of("type"),
            InstanceAction.REBOOT_HARD, Set.of("type"),
            InstanceAction.RESIZE, Set.of("flavor"),
            InstanceAction.SHELVE, Set.of("offload"),
            InstanceAction.LIVE_MIGRATE, Set.of("host"),
            InstanceAction.EVACUATE, Set.of("hostDown"),
            InstanceAction.SNAPSHOT, Set.of("name"),
            InstanceAction.BACKUP, Set.of("name"),
            InstanceAction.RESET_STATE, Set.of("vmState"));

    /** Checks the parameters the action needs and keeps only those, for the event. */
    private static Map<String, String> parameters(InstanceAction action, ActionRequest body) {
        InvalidField.unlessOnly(body, TAKES.getOrDefault(action, Set.of()), action.wireName());
        Map<String, String> parameters = new HashMap<>();
        switch (action) {
            case RESIZE -> parameters.put("flavor", required(action, "flavor", body.flavor()));
            case SHELVE -> parameters.put("offload", String.valueOf(Boolean.TRUE.equals(body.offload())));
            case LIVE_MIGRATE -> {
                if (body.host() != null) {
                    parameters.put("host", body.host());
                }
            }
            case EVACUATE -> parameters.put("hostDown", String.valueOf(required(action, "hostDown", body.hostDown())));
            case SNAPSHOT, BACKUP -> parameters.put("name", required(action, "name", body.name()));
            case RESET_STATE -> parameters.put("vmState", required(action, "vmState", body.vmState()).name());
            default -> {
            }
        }
        return parameters;
    }

    private static <T> T required(InstanceAction action, String field, T value) {
        if (value == null) {
            throw Rejection.validation(InstanceCommands.RESOURCE, null, action.wireName(),
                    action.wireName() + " needs the field '" + field + "'");
        }
        return value;
    }

    private static String newTaskId() {
        return UUID.randomUUID().toString();
    }
}
