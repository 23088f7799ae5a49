package io.interlock.query.store;

import org.axonframework.messaging.Message;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;

import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What the projections handling one batch of the shared processor share: which of them are
 * stopped, and which rows went unwritten (so the change feed does not announce them). Present
 * only in the processor's units of work; a handler called directly fails the way it always did.
 */
public final class ProjectionBatch {

    private static final String RESOURCE = ProjectionBatch.class.getName();

    private final ProjectionFailures failures;
    private final Map<String, String> projectionOfType;
    private final Set<String> withheld = new HashSet<>();

    private ProjectionBatch(ProjectionFailures failures, Map<String, String> projectionOfType) {
        this.failures = failures;
        this.projectionOfType = projectionOfType;
    }

    /** Joins the batch of {@code unit}, reading the stored failures once per batch. */
    static void begin(UnitOfWork<?> unit, ProjectionFailures failures, Map<String, String> projectionOfType) {
        unit.root().getOrComputeResource(RESOURCE, key -> {
            failures.refresh();
            return new ProjectionBatch(failures, projectionOfType);
        });
    }

    public static Optional<ProjectionBatch> of(UnitOfWork<?> unit) {
        return Optional.ofNullable(unit.root().getResource(RESOURCE));
    }

    static Optional<ProjectionBatch> current() {
        return CurrentUnitOfWork.isStarted() ? of(CurrentUnitOfWork.get()) : Optional.empty();
    }

    boolean stopped(String projection) {
        return failures.of(projection).isPresent();
    }

    void fail(String projection, Message<?> event, Throwable error) {
        failures.record(projection, event, error);
    }

    void withhold(String projection, String id) {
        withheld.add(projection + "/" + id);
    }

    /** Whether the row a change announces was written; {@code type} is the read model's, as in URLs. */
    public boolean written(String type, String id) {
        String projection = projectionOfType.get(type);
        return projection == null || !withheld.contains(projection + "/" + id);
    }
}
