package io.interlock.query.dashboard;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import java.util.Map;

/**
 * The lifecycle of every resource type as the transition tables define it: the kind of each
 * state (the dashboard colours counts by it) and the diagram a resource page highlights its
 * current state on. The same for every reader: it describes the tables, not any resource.
 */
@RestController
public class LifecycleController {

    private final Map<String, Lifecycles.Lifecycle> lifecycles = Lifecycles.all();

    @GetMapping("/v1/lifecycles")
    public Map<String, Lifecycles.Lifecycle> lifecycles() {
        return lifecycles;
    }
}
