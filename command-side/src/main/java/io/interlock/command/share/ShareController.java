package io.interlock.command.share;

import io.interlock.command.gateway.ApiDocsConfig;
import io.interlock.command.gateway.Caller;
import io.interlock.command.gateway.CommandDispatcher;
import io.interlock.command.gateway.CreatesResource;
import io.interlock.command.gateway.InvalidField;
import io.interlock.command.gateway.Text;
import io.interlock.command.gateway.Versions;
import io.interlock.command.share.ShareCommands.AcquireSnapshotLease;
import io.interlock.command.share.ShareCommands.AllowAccess;
import io.interlock.command.share.ShareCommands.CompleteShareTask;
import io.interlock.command.share.ShareCommands.CreateShare;
import io.interlock.command.share.ShareCommands.CreateShareFromSnapshot;
import io.interlock.command.share.ShareCommands.DenyAccess;
import io.interlock.command.share.ShareCommands.FailShareTask;
import io.interlock.command.share.ShareCommands.ManageShare;
import io.interlock.command.share.ShareCommands.ReleaseSnapshotLease;
import io.interlock.command.share.ShareCommands.RequestShareAction;
import io.interlock.command.share.ShareCommands.SettleAccessRulesSync;
import io.interlock.command.share.ShareCommands.StartAccessRulesSync;
import io.interlock.lifecycle.Rejection;
import io.interlock.lifecycle.TenantIds;
import io.interlock.share.AccessLevel;
import io.interlock.share.AccessRulesStatus;
import io.interlock.share.AccessType;
import io.interlock.share.RuleOutcome;
import io.interlock.share.ShareAction;
import io.interlock.share.ShareStatus;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
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
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/** Share endpoints It validates, builds commands and sends them; nothing more. */
@RestController
@RequestMapping("/v1/shares")
public class ShareController {

    static final String ID_PATTERN = "[A-Za-z0-9][A-Za-z0-9._-]{0,63}";
    /** A share named in a body: bare, or {@code <tenant>:<id>} from a caller that serves every tenant. */
    static final String REFERENCE_PATTERN = "(" + ID_PATTERN + ":)?" + ID_PATTERN;
    static final String PROTOCOL_PATTERN = "[A-Z][A-Z0-9_]{0,15}";
    static final long MAX_SIZE = 1_000_000;
    private static final String DEFAULT_TENANT = "default";
    /** The actions of {@code /actions/{action}}; the rest have endpoints of their own. */
    private static final Set<ShareAction> URL_ACTIONS = Set.of(ShareAction.EXTEND, ShareAction.SHRINK,
            ShareAction.MIGRATE, ShareAction.UNMANAGE, ShareAction.REVERT, ShareAction.RESET_STATUS);

    /** The body fields each action reads; any other field sent to it is refused, not ignored. */
    private static final Map<ShareAction, Set<String>> TAKES = Map.of(
            ShareAction.EXTEND, Set.of("newSize"),
            ShareAction.SHRINK, Set.of("newSize"),
            ShareAction.MIGRATE, Set.of("destination"),
            ShareAction.REVERT, Set.of("snapshotId"),
            ShareAction.RESET_STATUS, Set.of("status", "force"));

    private final CommandDispatcher commands;

    public ShareController(CommandDispatcher commands) {
        this.commands = commands;
    }

    public record Manage(@NotBlank @Text(max = 1024) @Pattern(regexp = "\\S+") String exportPath) {
    }

    /** One of three shapes: {size, protocol}, {sourceShareId, snapshotId}, or {manage: {exportPath}}. */
    public record CreateRequest(@Pattern(regexp = ID_PATTERN) String id,
                                @Min(1) @Max(MAX_SIZE) Long size,
                                @Pattern(regexp = PROTOCOL_PATTERN) String protocol,
                                @Pattern(regexp = REFERENCE_PATTERN) String sourceShareId,
                                @Pattern(regexp = ID_PATTERN) String snapshotId,
                                @Valid Manage manage,
                                @Pattern(regexp = ID_PATTERN) String tenant) {
    }

    /** The union of every action's parameters; each action reads the ones it needs. */
    public record ActionRequest(@Min(1) @Max(MAX_SIZE) Long newSize,
                                @Text(min = 1, max = 255) String destination,
                                @Pattern(regexp = ID_PATTERN) String snapshotId,
                                ShareStatus status,
                                Boolean force) {
        static final ActionRequest EMPTY = new ActionRequest(null, null, null, null, null);
    }

    public record SnapshotRequest(@Pattern(regexp = ID_PATTERN) String snapshotId,
                                  @NotBlank @Text(max = 255) String name) {
    }

    public record CompleteRequest(@Text(max = 4096, multiline = true) String result) {
    }

    public record FailRequest(@NotBlank @Text(max = 4096, multiline = true) String reason, Boolean possibleDataLoss) {
    }

    public record RuleRequest(@NotNull AccessType accessType,
                              @NotBlank @Text(max = 255) @Pattern(regexp = "\\S+") String accessTo,
                              @NotNull AccessLevel level) {
    }

    public record SyncResult(@NotNull @Size(max = 1000) Map<@Pattern(regexp = ID_PATTERN) String, @NotNull RuleOutcome> results) {
    }

    @ApiResponse(responseCode = "201", description = "Created; Location names it",
            content = @Content(schema = @Schema(implementation = ShareResponse.class)))
    @PostMapping
    @CreatesResource
    public ResponseEntity<?> create(@Valid @RequestBody CreateRequest body) {
        Caller caller = Caller.current();
        String id = body.id() != null ? body.id() : UUID.randomUUID().toString();
        String taskId = newTaskId();
        boolean fromSnapshot = body.sourceShareId() != null || body.snapshotId() != null;
        if (body.manage() != null) {
            if (fromSnapshot) {
                throw shape("manage cannot be combined with sourceShareId or snapshotId");
            }
            String tenant = tenant(caller, body.tenant(), DEFAULT_TENANT);
            long size = body.size() == null ? 0 : body.size();
            String shareId = TenantIds.qualify(tenant, id);
            commands.send(new ManageShare(shareId, tenant, size, body.protocol(), body.manage().exportPath(), taskId));
            return created(caller, new ShareResponse(shareId, tenant, size, body.protocol(),
                    ShareStatus.MANAGE_STARTING, taskId,
                    body.manage().exportPath(), null, null, AccessRulesStatus.ACTIVE, List.of(), List.of(), 0));
        }
        if (fromSnapshot) {
            if (body.sourceShareId() == null || body.snapshotId() == null) {
                throw shape("creating from a snapshot needs both sourceShareId and snapshotId");
            }
            if (body.size() != null || body.protocol() != null) {
                throw shape("a share created from a snapshot takes its size and protocol from the snapshot");
            }
            return createFromSnapshot(caller, id, taskId, body);
        }
        if (body.size() == null || body.protocol() == null) {
            throw shape("a new share needs size and protocol");
        }
        String tenant = tenant(caller, body.tenant(), DEFAULT_TENANT);
        String shareId = TenantIds.qualify(tenant, id);
        commands.send(new CreateShare(shareId, tenant, body.size(), body.protocol(), taskId));
        return created(caller, new ShareResponse(shareId, tenant, body.size(), body.protocol(),
                ShareStatus.CREATING, taskId, null,
                null, null, AccessRulesStatus.ACTIVE, List.of(), List.of(), 0));
    }

    /**
     * The lease comes first, on the source share: once the new share exists, its source snapshot
     * cannot be deleted under it. If the share cannot be created, a lease this request took is
     * given back at once; a lease the owner already held (a repeat) is left to that share's saga.
     * The copy is its source's tenant's: a lease owner is always a share of the same tenant.
     */
    private ResponseEntity<?> createFromSnapshot(Caller caller, String id, String taskId, CreateRequest body) {
        String sourceId = caller.resource(body.sourceShareId());
        String tenant = TenantIds.tenantOf(sourceId);
        if (body.tenant() != null && caller.tenantScope() == null && !body.tenant().equals(tenant)) {
            throw shape("a share created from a snapshot belongs to its source's tenant, " + tenant);
        }
        String shareId = TenantIds.qualify(tenant, id);
        ShareResponse.LeaseGrant grant = commands.send(new AcquireSnapshotLease(sourceId,
                body.snapshotId(), shareId, caller.tenantScope()));
        try {
            commands.send(new CreateShareFromSnapshot(shareId, tenant, grant.size(), grant.protocol(),
                    sourceId, body.snapshotId(), taskId));
        } catch (RuntimeException e) {
            if (grant.acquired()) {
                commands.send(new ReleaseSnapshotLease(sourceId, body.snapshotId(), shareId));
            }
            throw e;
        }
        return created(caller, new ShareResponse(shareId, tenant, grant.size(), grant.protocol(),
                ShareStatus.CREATING_FROM_SNAPSHOT, taskId, null, sourceId, body.snapshotId(),
                AccessRulesStatus.ACTIVE, List.of(), List.of(), 0));
    }

    @ApiResponse(responseCode = "202", description = ApiDocsConfig.TASK_STARTED)
    @ApiResponse(responseCode = "200", description = "reset-status: done at once")
    @PostMapping("/{id}/actions/{action}")
    public ResponseEntity<ShareResponse> act(@PathVariable String id, @PathVariable String action,
                                             @Valid @RequestBody(required = false) ActionRequest body,
                                             HttpServletRequest request) {
        ShareAction resolved = ShareAction.fromWire(action);
        if (resolved == null || !URL_ACTIONS.contains(resolved)) {
            throw Rejection.validation(ShareCommands.RESOURCE, id, action, "Unknown share action: " + action);
        }
        ActionRequest params = body == null ? ActionRequest.EMPTY : body;
        InvalidField.unlessOnly(params, TAKES.getOrDefault(resolved, Set.of()), resolved.wireName());
        Map<String, String> parameters = new HashMap<>();
        Long newSize = null;
        String snapshotId = null;
        switch (resolved) {
            case EXTEND, SHRINK -> newSize = required(resolved, "newSize", params.newSize());
            case MIGRATE -> parameters.put("destination", required(resolved, "destination", params.destination()));
            case REVERT -> snapshotId = required(resolved, "snapshotId", params.snapshotId());
            case RESET_STATUS -> {
                parameters.put("status", required(resolved, "status", params.status()).name());
                parameters.put("force", String.valueOf(Boolean.TRUE.equals(params.force())));
            }
            default -> {
            }
        }
        return request(id, resolved, snapshotId, null, newSize, parameters, request);
    }

    @ApiResponse(responseCode = "202", description = ApiDocsConfig.TASK_STARTED)
    @DeleteMapping("/{id}")
    public ResponseEntity<ShareResponse> delete(@PathVariable String id, HttpServletRequest request) {
        return request(id, ShareAction.DELETE, null, null, null, Map.of(), request);
    }

    @ApiResponse(responseCode = "202", description = ApiDocsConfig.TASK_STARTED)
    @PostMapping("/{id}/snapshots")
    public ResponseEntity<ShareResponse> snapshot(@PathVariable String id, @Valid @RequestBody SnapshotRequest body,
                                                  HttpServletRequest request) {
        String snapshotId = body.snapshotId() != null ? body.snapshotId() : UUID.randomUUID().toString();
        return request(id, ShareAction.CREATE_SNAPSHOT, snapshotId, body.name(), null, Map.of(), request);
    }

    @ApiResponse(responseCode = "202", description = ApiDocsConfig.TASK_STARTED)
    @DeleteMapping("/{id}/snapshots/{snapshotId}")
    public ResponseEntity<ShareResponse> deleteSnapshot(@PathVariable String id, @PathVariable String snapshotId,
                                                        HttpServletRequest request) {
        return request(id, ShareAction.DELETE_SNAPSHOT, snapshotId, null, null, Map.of(), request);
    }

    @PostMapping("/{id}/tasks/{taskId}/complete")
    public ResponseEntity<ShareResponse> complete(@PathVariable String id, @PathVariable String taskId,
                                                  @Valid @RequestBody(required = false) CompleteRequest body,
                                                  HttpServletRequest request) {
        ShareResponse status = commands.send(new CompleteShareTask(Caller.current().resource(id), taskId,
                body == null ? null : body.result(),
                Versions.expected(request)));
        return Versions.respond(HttpStatus.OK, status.version(), status);
    }

    @PostMapping("/{id}/tasks/{taskId}/fail")
    public ResponseEntity<ShareResponse> fail(@PathVariable String id, @PathVariable String taskId,
                                              @Valid @RequestBody FailRequest body, HttpServletRequest request) {
        ShareResponse status = commands.send(new FailShareTask(Caller.current().resource(id), taskId, body.reason(),
                Boolean.TRUE.equals(body.possibleDataLoss()), Versions.expected(request)));
        return Versions.respond(HttpStatus.OK, status.version(), status);
    }

    @ApiResponse(responseCode = "202", description = "Accepted: the rule is queued for the agent's next sync")
    @PostMapping("/{id}/access-rules")
    public ResponseEntity<ShareResponse> allow(@PathVariable String id, @Valid @RequestBody RuleRequest body,
                                               HttpServletRequest request) {
        Caller caller = Caller.current();
        ShareResponse status = commands.send(new AllowAccess(caller.resource(id), UUID.randomUUID().toString(),
                body.accessType(),
                body.accessTo(), body.level(), caller.tenantScope(), Versions.expected(request)));
        return Versions.respond(HttpStatus.ACCEPTED, status.version(), status);
    }

    @ApiResponse(responseCode = "202", description = "Accepted: the rule is queued to be denied at the agent's next sync")
    @DeleteMapping("/{id}/access-rules/{ruleId}")
    public ResponseEntity<ShareResponse> deny(@PathVariable String id, @PathVariable String ruleId,
                                              HttpServletRequest request) {
        Caller caller = Caller.current();
        ShareResponse status = commands.send(new DenyAccess(caller.resource(id), ruleId, caller.tenantScope(),
                Versions.expected(request)));
        return Versions.respond(HttpStatus.ACCEPTED, status.version(), status);
    }

    @PostMapping("/{id}/access-rules/sync")
    public ResponseEntity<ShareResponse.SyncBatch> sync(@PathVariable String id, HttpServletRequest request) {
        ShareResponse.SyncBatch batch = commands.send(new StartAccessRulesSync(Caller.current().resource(id),
                UUID.randomUUID().toString(), Versions.expected(request)));
        return Versions.respond(HttpStatus.OK, batch.version(), batch);
    }

    @PostMapping("/{id}/access-rules/sync/{syncId}/result")
    public ResponseEntity<ShareResponse> syncResult(@PathVariable String id, @PathVariable String syncId,
                                                    @Valid @RequestBody SyncResult body,
                                                    HttpServletRequest request) {
        ShareResponse status = commands.send(new SettleAccessRulesSync(Caller.current().resource(id), syncId,
                body.results(), Versions.expected(request)));
        return Versions.respond(HttpStatus.OK, status.version(), status);
    }

    private ResponseEntity<ShareResponse> request(String id, ShareAction action, String snapshotId,
                                                  String snapshotName, Long newSize, Map<String, String> parameters,
                                                  HttpServletRequest request) {
        Caller caller = Caller.current();
        ShareResponse status = commands.send(new RequestShareAction(caller.resource(id), action, newTaskId(),
                snapshotId, snapshotName,
                newSize, parameters, caller.tenantScope(), caller.admin(), Versions.expected(request)));
        HttpStatus http = action == ShareAction.RESET_STATUS ? HttpStatus.OK : HttpStatus.ACCEPTED;
        return Versions.respond(http, status.version(), status);
    }

    private static ResponseEntity<ShareResponse> created(Caller caller, ShareResponse share) {
        return ResponseEntity.created(URI.create("/v1/shares/" + caller.written(share.id())))
                .eTag(Versions.etag(0)).body(share);
    }

    private static String tenant(Caller caller, String asked, String fallback) {
        return caller.tenantScope() != null ? caller.tenantScope() : asked != null ? asked : fallback;
    }

    private static Rejection shape(String detail) {
        return Rejection.validation(ShareCommands.RESOURCE, null, ShareAction.CREATE.wireName(), detail);
    }

    private static <T> T required(ShareAction action, String field, T value) {
        if (value == null) {
            throw Rejection.validation(ShareCommands.RESOURCE, null, action.wireName(),
                    action.wireName() + " needs the field '" + field + "'");
        }
        return value;
    }

    private static String newTaskId() {
        return UUID.randomUUID().toString();
    }
}
