package io.interlock.command.volume;

import io.interlock.command.gateway.CommandDispatcher;
import io.interlock.command.gateway.CreatesResource;
import io.interlock.command.gateway.Versions;
import io.interlock.command.volume.VolumeCommands.DeleteVolume;
import io.interlock.command.volume.VolumeCommands.RegisterVolume;
import io.interlock.volume.DeletionStatus;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
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

/** Volume endpoints The repair lock has no endpoint: only replacement work takes it. */
@RestController
@RequestMapping("/v1/volumes")
public class VolumeController {

    static final String ID_PATTERN = "[A-Za-z0-9][A-Za-z0-9._-]{0,63}";

    private final CommandDispatcher commands;

    public VolumeController(CommandDispatcher commands) {
        this.commands = commands;
    }

    public record RegisterRequest(@NotNull @Pattern(regexp = ID_PATTERN) String volumeId) {
    }

    public record DeleteRequest(@NotNull Boolean hard) {
    }

    @PostMapping
    @CreatesResource
    public ResponseEntity<VolumeStatus> register(@Valid @RequestBody RegisterRequest body) {
        commands.send(new RegisterVolume(body.volumeId()));
        return ResponseEntity.created(URI.create("/v1/volumes/" + body.volumeId())).eTag(Versions.etag(0))
                .body(new VolumeStatus(body.volumeId(), DeletionStatus.ACTIVE, null, 0));
    }

    @PostMapping("/{id}/delete")
    public ResponseEntity<VolumeStatus> delete(@PathVariable String id, @Valid @RequestBody DeleteRequest body,
                                               HttpServletRequest request) {
        VolumeStatus status = commands.send(new DeleteVolume(id, body.hard(), Versions.expected(request)));
        return Versions.respond(HttpStatus.OK, status.version(), status);
    }
}
