package io.interlock.archfixture;

import io.interlock.command.instance.Instance;
import org.springframework.web.bind.annotation.RestController;

/**
 * A breach for ArchitectureTest to catch: a controller holding an aggregate. It lives outside
 * io.interlock.command so that no application context's component scan ever picks it up.
 */
@RestController
public final class ControllerThatLoadsAnAggregate {

    private Instance instance;

    Instance instance() {
        return instance;
    }
}
