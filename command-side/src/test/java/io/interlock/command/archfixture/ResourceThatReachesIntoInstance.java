package io.interlock.command.archfixture;

import io.interlock.command.instance.InstanceStatus;

/**
 * A breach for ArchitectureTest to catch: a resource package using another resource's classes
 * instead of shared-events. Never instantiated; it carries no Spring or Axon annotation on purpose.
 */
public final class ResourceThatReachesIntoInstance {

    private ResourceThatReachesIntoInstance() {
    }

    static String describe(InstanceStatus status) {
        return status.id();
    }
}
