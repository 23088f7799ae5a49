package io.interlock.command.replacement;

import io.interlock.command.gateway.CommandDispatcher;
import io.interlock.command.gateway.CreatesResource;
import io.interlock.command.gateway.Text;
import io.interlock.command.gateway.InvalidField;
import io.interlock.command.gateway.Versions;
import io.interlock.command.process.ReplacementProcess;
import io.interlock.command.replacement.ReplacementCommands.ReportTargetDeleted;
import io.interlock.command.replacement.ReplacementCommands.TransitionReplacement;
import io.interlock.command.replacement.ReplacementCommands.TransitionReplacementStep;
import io.interlock.lifecycle.Rejection;
import io.interlock.replacement.ReplacementAction;
import io.interlock.replacement.StepAction;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.net.URI;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Replacement endpoints Creating a request and adding a step take a volume's
 * repair lock, and completing gives one back, so those go through the process; the rest are
 * plain commands.
 */
@RestController
@RequestMapping("/v1/replacements")
public class ReplacementController {

    static final String ID_PATTERN = "[A-Za-z0-9][A-Za-z0-9._-]{0,63}";

    private final CommandDispatcher commands;
    private final ReplacementProcess process;

    public ReplacementController(CommandDispatcher commands, ReplacementProcess process) {
        this.commands = commands;
        this.process = process;
    }

    public record CreateRequest(@Pattern(regexp = ID_PATTERN) String id,
                                @NotBlank @Text(max = 255) String regionSnapshotId,
                                @NotNull @Pattern(regexp = ID_PATTERN) String snapshotVolumeId) {
    }

    /** {@code sagaId} always; finish-allocation also reports where the replacement went. */
    public record TransitionRequest(@NotBlank @Text(max = 255) String sagaId,
                                    @Text(min = 1, max = 255) String newRegionId,
                                    @Text(min = 1, max = 255) String newRegionVolumeId,
                                    @Text(min = 1, max = 255) String oldSnapshotVolumeId) {
    }

    public record StepRequest(@NotNull @Pattern(regexp = ID_PATTERN) String volumeId) {
    }

    public record StepTransitionRequest(@NotBlank @Text(max = 255) String sagaId) {
    }

    @PostMapping
    @CreatesResource
    public ResponseEntity<ReplacementStatus> create(@Valid @RequestBody CreateRequest body) {
        String id = body.id() != null ? body.id() : UUID.randomUUID().toString();
        ReplacementStatus created = process.request(id, body.regionSnapshotId(), body.snapshotVolumeId());
        return ResponseEntity.created(URI.create("/v1/replacements/" + id)).eTag(Versions.etag(0)).body(created);
    }

    @PostMapping("/{id}/transitions/{transition}")
    public ResponseEntity<ReplacementStatus> transition(@PathVariable String id, @PathVariable String transition,
                                                        @Valid @RequestBody TransitionRequest body,
                                                        HttpServletRequest request) {
        ReplacementAction action = ReplacementAction.fromWire(transition);
        if (action == null) {
            throw Rejection.validation(Replacement.RESOURCE, id, transition, "Unknown replacement transition: "
                    + transition);
        }
        ReplacementStatus status = process.transition(new TransitionReplacement(id, action, body.sagaId(),
                parameters(action, body), Versions.expected(request)));
        return Versions.respond(HttpStatus.OK, status.version(), status);
    }

    @PostMapping("/{id}/target-deleted")
    public ResponseEntity<ReplacementStatus> targetDeleted(@PathVariable String id, HttpServletRequest request) {
        ReplacementStatus status = commands.send(new ReportTargetDeleted(id, Versions.expected(request)));
        return Versions.respond(HttpStatus.OK, status.version(), status);
    }

    @ApiResponse(responseCode = "201", description = "Step added; it holds the volume's repair lock")
    @ApiResponse(responseCode = "200", description = "Skipped: skipped says why (already handled, volume deleted)")
    @PostMapping("/{id}/steps")
    public ResponseEntity<ReplacementStatus> addStep(@PathVariable String id, @Valid @RequestBody StepRequest body,
                                                     HttpServletRequest request) {
        ReplacementStatus status = process.addStep(id, body.volumeId(), Versions.expected(request));
        HttpStatus answer = status.skipped() == null ? HttpStatus.CREATED : HttpStatus.OK;
        return Versions.respond(answer, status.version(), status);
    }

    @PostMapping("/{id}/steps/{volumeId}/transitions/{transition}")
    public ResponseEntity<ReplacementStatus> stepTransition(@PathVariable String id, @PathVariable String volumeId,
                                                            @PathVariable String transition,
                                                            @Valid @RequestBody StepTransitionRequest body,
                                                            HttpServletRequest request) {
        StepAction action = StepAction.fromWire(transition);
        if (action == null) {
            throw Rejection.validation(Replacement.STEP_RESOURCE, id, transition, "Unknown step transition: "
                    + transition);
        }
        ReplacementStatus status = process.stepTransition(new TransitionReplacementStep(id, volumeId, action,
                body.sagaId(), Versions.expected(request)));
        return Versions.respond(HttpStatus.OK, status.version(), status);
    }

    /**
     * finish-allocation must say where the data went; other transitions take no parameters, and
     * refuse them rather than ignore what the caller meant to say.
     */
    private static Map<String, String> parameters(ReplacementAction action, TransitionRequest body) {
        Map<String, String> parameters = new HashMap<>();
        if (action == ReplacementAction.FINISH_ALLOCATION) {
            parameters.put("newRegionId", required(action, "newRegionId", body.newRegionId()));
            parameters.put("newRegionVolumeId", required(action, "newRegionVolumeId", body.newRegionVolumeId()));
            parameters.put("oldSnapshotVolumeId", required(action, "oldSnapshotVolumeId",
                    body.oldSnapshotVolumeId()));
            return parameters;
        }
        Map<String, String> given = new LinkedHashMap<>();
        given.put("newRegionId", body.newRegionId());
        given.put("newRegionVolumeId", body.newRegionVolumeId());
        given.put("oldSnapshotVolumeId", body.oldSnapshotVolumeId());
        given.forEach((field, value) -> {
            if (value != null) {
                throw new InvalidField(field, "unknown field: " + action.wireName() + " takes only sagaId");
            }
        });
        return parameters;
    }

    private static String required(ReplacementAction action, String field, String value) {
        if (value == null) {
            throw Rejection.validation(Replacement.RESOURCE, null, action.wireName(),
                    action.wireName() + " needs the field '" + field + "'");
        }
        return value;
    }
}
