package io.interlock.query.replay;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.util.Collection;

/** Replay administration (admin only): follow each projection, rebuild one. */
@RestController
@RequestMapping("/v1/admin/projections")
public class ProjectionAdminController {

    private final Projections projections;

    public ProjectionAdminController(Projections projections) {
        this.projections = projections;
    }

    @GetMapping
    public Collection<Projections.Status> all() {
        return projections.all();
    }

    @GetMapping("/{name}")
    public Projections.Status one(@PathVariable String name) {
        return projections.status(name);
    }

    @PostMapping("/{name}/replay")
    public ResponseEntity<Projections.Status> replay(@PathVariable String name) {
        return ResponseEntity.accepted().body(projections.replay(name));
    }
}
