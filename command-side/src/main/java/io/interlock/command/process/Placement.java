package io.interlock.command.process;

import io.interlock.command.gateway.BareId;
import io.interlock.command.gateway.CommandDispatcher;
import io.interlock.command.node.LvolPlacement;
import io.interlock.command.node.LvolPlacementAnswer;
import io.interlock.command.node.LvolPlacementCommands.AbandonLvolPlacement;
import io.interlock.command.node.LvolPlacementCommands.ClaimLvolPlacement;
import io.interlock.command.node.LvolPlacementCommands.RecordLvolPlaced;
import io.interlock.command.subsystem.NamespaceAnswer;
import io.interlock.command.subsystem.SubsystemCommands.AllocateNamespace;
import io.interlock.lifecycle.Rejection;
import io.interlock.lifecycle.TenantIds;
import io.interlock.node.NodeEvents.NodeRegistered;
import io.interlock.subsystem.SubsystemEvents.SubsystemCreated;
import io.interlock.subsystem.SubsystemState;
import org.axonframework.eventsourcing.eventstore.DomainEventStream;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.modelling.command.AggregateStreamCreationException;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import tools.jackson.databind.annotation.JsonSerialize;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;

/**
 * Places a logical volume on a node. Candidates come from the {@link PlacementIndex};
 * the aggregates decide. Each allocation attempt touches one subsystem's aggregate only, and a new
 * subsystem is made only through the node's slot claim, so there is no node-wide or global lock,
 * and racing placements on any number of replicas can overfill neither a subsystem nor a node.
 *
 * <p>An lvol is placed at most once per node: a placement first claims the lvol on the node
 * ({@link LvolPlacement}, one small stream per node and lvol), and only the claim's holder makes a
 * namespace. Racers answer with the claim's namespace once it is placed, or a retryable 409 while
 * it is being made, and spend no slot. The claim is a lease, so a placement that stopped half-way
 * holds the lvol only until it runs out; the holder's allocations are refused from a margin before
 * that, so the one that takes over never races a late allocation of the old one. A placed lvol
 * whose namespace was removed is claimed and placed anew by the next placement. A direct
 * allocation in a named subsystem ({@link #allocateIn}) takes the same claim, so it can neither
 * give the lvol a second namespace on the node nor be missed by a later placement.
 *
 * <p>The answer is "no room" only when, after the node refused a new slot, the index shows no
 * subsystem with room and no slot that another placement has just claimed and is still creating:
 * that subsystem will have room, so the placement waits for it instead of giving up too early.
 */
@Component
public class Placement {

    private static final String NODE = "node";
    private static final String SUBSYSTEM = "subsystem";

    public record Placed(@JsonSerialize(using = BareId.class) String nodeId, String lvolId,
                         @JsonSerialize(using = BareId.class) String nqn, int nsid, boolean placed, long version) {
    }

    private final CommandDispatcher commands;
    private final SubsystemProvisioning provisioning;
    private final PlacementIndex index;
    private final Duration patience;
    private final Duration claimPatience;
    private final Duration lvolLease;
    private final EventStore eventStore;
    private final Map<String, String> nodeTenants = new ConcurrentHashMap<>();
    private final Map<String, String> subsystemNodes = new ConcurrentHashMap<>();

    public Placement(CommandDispatcher commands, SubsystemProvisioning provisioning, PlacementIndex index,
                     EventStore eventStore,
                     @Value("${interlock.placement.patience:PT15S}") Duration patience,
                     @Value("${interlock.placement.claim-patience:PT30S}") Duration claimPatience,
                     @Value("${interlock.placement.lvol-lease:PT60S}") Duration lvolLease) {
        if (lvolLease.compareTo(patience.multipliedBy(2)) < 0) {
            // The holder's own waiting must end well inside its lease, or its claim runs out while it works.
            throw new IllegalArgumentException("interlock.placement.lvol-lease must be at least twice the patience");
        }
        this.commands = commands;
        this.provisioning = provisioning;
        this.index = index;
        this.eventStore = eventStore;
        this.patience = patience;
        this.claimPatience = claimPatience;
        this.lvolLease = lvolLease;
    }

    public Placed place(String nodeId, String lvolId, boolean namespaced, String tenantScope) {
        requireVisible(nodeId, tenantScope);
        // A repeat for an lvol already placed on this node answers with its namespace again.
        var known = index.subsystemOf(nodeId, lvolId);
        if (known.isPresent()) {
            var found = existingNamespace(known.get(), lvolId, tenantScope);
            if (found.isPresent()) {
                return placed(found.get());
            }
        }
        return placed(underClaim(nodeId, lvolId, tenantScope,
                createBefore -> make(nodeId, lvolId, namespaced, tenantScope, createBefore)));
    }

    /**
     * A direct allocation of {@code lvolId} in the subsystem {@code nqn}: the same claim on the
     * subsystem's node and the lvol as a placement, so an lvol never gets a second live namespace
     * on a node by naming another subsystem. A repeat on the same subsystem answers its namespace
     * again; an lvol placed in another subsystem of the node is 409 {@code already-exists}, and one
     * being placed 409 {@code lock-held} (retryable), with nothing written for either.
     */
    public NamespaceAnswer allocateIn(String nqn, String lvolId, String tenantScope, Long expectedVersion) {
        // The subsystem itself decides first (there, the caller's, not deleted, at the version
        // expected) and answers a repeat, so a refused allocation claims nothing.
        var here = namespaceIn(nqn, lvolId, tenantScope, expectedVersion);
        if (here.isPresent()) {
            return here.get();
        }
        String nodeId = nodeOf(nqn);
        NamespaceAnswer answer = underClaim(nodeId, lvolId, tenantScope, createBefore -> {
            // A namespace of the lvol elsewhere on the node that no claim records yet (one made by
            // a placement that stopped before recording it) is the lvol's placement: recorded, then refused.
            var elsewhere = index.subsystemOf(nodeId, lvolId).filter(other -> !other.equals(nqn));
            if (elsewhere.isPresent()) {
                var found = existingNamespace(elsewhere.get(), lvolId, tenantScope);
                if (found.isPresent()) {
                    return found.get();
                }
            }
            return commands.send(new AllocateNamespace(nqn, lvolId, tenantScope, expectedVersion, createBefore));
        });
        if (!answer.nqn().equals(nqn)) {
            throw placedElsewhere(nqn, lvolId, answer.nqn(), tenantScope);
        }
        return answer;
    }

    /**
     * Runs {@code holder} only while this request holds the lvol's claim on the node, and records
     * what it answers as the lvol's placement; otherwise answers the namespace the claim records.
     */
    private NamespaceAnswer underClaim(String nodeId, String lvolId, String tenantScope,
                                       Function<Instant, NamespaceAnswer> holder) {
        String placementId = UUID.randomUUID().toString();
        String gone = null;
        // Twice at most: the second time after finding the earlier placement's namespace gone.
        for (int attempt = 0; attempt < 2; attempt++) {
            LvolPlacementAnswer claim = claim(nodeId, lvolId, placementId, gone);
            if (claim.claimedBy(placementId)) {
                return asHolder(nodeId, lvolId, placementId, claim.leaseUntil(), holder);
            }
            var found = existingNamespace(claim.nqn(), lvolId, tenantScope);
            if (found.isPresent()) {
                return found.get();
            }
            gone = claim.placementId();
        }
        throw new Rejection(Rejection.Reason.LOCK_HELD, NODE, nodeId, "place", Map.of("lvolId", lvolId), null, true,
                "Lvol " + lvolId + " was placed anew on node " + TenantIds.bare(nodeId) + " while this placement was tried");
    }

    /** Nodes are tenant-owned, so the other subsystem is the caller's own; another tenant's would go unnamed. */
    private static Rejection placedElsewhere(String nqn, String lvolId, String other, String tenantScope) {
        boolean own = tenantScope == null || tenantScope.equals(TenantIds.tenantOf(other));
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("lvolId", lvolId);
        if (own) {
            fields.put("placedIn", TenantIds.bare(other));
        }
        return new Rejection(Rejection.Reason.ALREADY_EXISTS, SUBSYSTEM, nqn, "allocate", fields, null, false,
                "Lvol " + lvolId + " already has a namespace on this subsystem's node"
                        + (own ? ", in subsystem " + TenantIds.bare(other) : ""));
    }

    /** The lvol's namespace in {@code nqn} if it has one, empty if not; any refusal of the subsystem itself is thrown. */
    private Optional<NamespaceAnswer> namespaceIn(String nqn, String lvolId, String tenantScope, Long expectedVersion) {
        try {
            return Optional.of(commands.send(new AllocateNamespace(nqn, lvolId, tenantScope, expectedVersion,
                    AllocateNamespace.EXISTING)));
        } catch (RuntimeException refused) {
            Rejection rejection = Rejections.of(refused).orElseThrow(() -> refused);
            if (rejection.reason() != Rejection.Reason.NOT_FOUND || SUBSYSTEM.equals(rejection.resourceType())) {
                throw refused;
            }
            return Optional.empty();
        }
    }

    /** A subsystem's node is fixed at its creation, so its first event says it for good. */
    private String nodeOf(String nqn) {
        return subsystemNodes.computeIfAbsent(nqn, id -> {
            DomainEventStream history = eventStore.readEvents(id, 0);
            if (history.hasNext() && history.next().getPayload() instanceof SubsystemCreated created) {
                return created.nodeId();
            }
            throw Rejection.notFound(SUBSYSTEM, id);
        });
    }

    /**
     * The lvol's namespace on {@code nqn}, if it is there; never a new one, since making one is the
     * claim holder's alone. Empty when it was removed or its subsystem deleted.
     */
    private Optional<NamespaceAnswer> existingNamespace(String nqn, String lvolId, String tenantScope) {
        try {
            return Optional.of(commands.send(new AllocateNamespace(nqn, lvolId, tenantScope, null,
                    AllocateNamespace.EXISTING)));
        } catch (RuntimeException refused) {
            Rejection rejection = Rejections.of(refused).orElseThrow(() -> refused);
            boolean gone = rejection.reason() == Rejection.Reason.NOT_FOUND
                    || rejection.reason() == Rejection.Reason.INVALID_STATE && !rejection.retryable();
            if (!gone) {
                throw refused;
            }
            return Optional.empty();
        }
    }

    /** Another tenant's node is no node; checked before anything is claimed, so nothing is written for it. */
    private void requireVisible(String nodeId, String tenantScope) {
        String tenant = nodeTenants.get(nodeId);
        if (tenant == null) {
            tenant = registeredTenant(nodeId);
            if (tenant != null) {
                nodeTenants.put(nodeId, tenant);
            }
        }
        if (tenant == null || tenantScope != null && !tenantScope.equals(tenant)) {
            throw Rejection.notFound(NODE, nodeId);
        }
    }

    /** A node's tenant is fixed at registration and nodes are never removed, so the first event says it for good. */
    private String registeredTenant(String nodeId) {
        DomainEventStream history = eventStore.readEvents(nodeId, 0);
        if (history.hasNext() && history.next().getPayload() instanceof NodeRegistered registered) {
            return registered.tenant();
        }
        return null;
    }

    private LvolPlacementAnswer claim(String nodeId, String lvolId, String placementId, String gone) {
        ClaimLvolPlacement claim = new ClaimLvolPlacement(nodeId, lvolId, placementId, lvolLease, gone);
        try {
            return commands.send(claim);
        } catch (RuntimeException failure) {
            for (Throwable t = failure; t != null; t = t.getCause()) {
                if (t instanceof AggregateStreamCreationException) {
                    // Another replica made the lvol's first claim at the same moment: ask the claim it made.
                    return commands.send(claim);
                }
            }
            throw failure;
        }
    }

    /** This request holds the lvol: make its namespace, or give the lvol back on failure. */
    private NamespaceAnswer asHolder(String nodeId, String lvolId, String placementId, Instant leaseUntil,
                                     Function<Instant, NamespaceAnswer> holder) {
        Instant createBefore = leaseUntil.minus(lvolLease.dividedBy(4));
        try {
            NamespaceAnswer made = holder.apply(createBefore);
            commands.send(new RecordLvolPlaced(nodeId, lvolId, placementId, made.nqn(), made.nsid()));
            return made;
        } catch (RuntimeException failure) {
            try {
                commands.send(new AbandonLvolPlacement(nodeId, lvolId, placementId));
            } catch (RuntimeException abandonFailed) {
                // The claim holds the lvol until its lease runs out; then the next placement takes it over.
                failure.addSuppressed(abandonFailed);
            }
            throw failure;
        }
    }

    private NamespaceAnswer make(String nodeId, String lvolId, boolean namespaced, String tenantScope, Instant createBefore) {
        // A namespace of the lvol already on this node (made by a placement that stopped before it
        // recorded it, or allocated directly) is the placement.
        var existing = index.subsystemOf(nodeId, lvolId);
        if (existing.isPresent()) {
            return allocate(existing.get(), lvolId, tenantScope, createBefore);
        }
        if (!namespaced) {
            String nqn = newNqn(nodeId);
            try {
                beforeFence(nodeId, createBefore);
                provisioning.create(nodeId, nqn, 1, true, tenantScope);
            } catch (RuntimeException refused) {
                if (!Rejections.is(refused, Rejection.Reason.CAPACITY_EXHAUSTED)) {
                    throw refused;
                }
                throw noRoom(nodeId, Rejections.of(refused).orElseThrow(),
                        "Node " + TenantIds.bare(nodeId)
                                + " has no free subsystem slot for a non-namespaced volume");
            }
            return allocate(nqn, lvolId, tenantScope, createBefore);
        }
        Instant giveUp = Instant.now().plus(patience);
        while (true) {
            PlacementIndex.NodeView view = index.view(nodeId, claimPatience);
            for (String candidate : view.candidates()) {
                try {
                    return allocate(candidate, lvolId, tenantScope, createBefore);
                } catch (RuntimeException refused) {
                    // It filled up, or was deleted, since the index was read: try the next one.
                    if (!Rejections.is(refused, Rejection.Reason.CAPACITY_EXHAUSTED, Rejection.Reason.INVALID_STATE,
                            Rejection.Reason.NOT_FOUND)) {
                        throw refused;
                    }
                }
            }
            if (view.pendingClaims() == 0) {
                String nqn = newNqn(nodeId);
                try {
                    beforeFence(nodeId, createBefore);
                    provisioning.create(nodeId, nqn, SubsystemState.DEFAULT_MAX_NAMESPACES, false, tenantScope);
                    return allocate(nqn, lvolId, tenantScope, createBefore);
                } catch (RuntimeException refused) {
                    if (!Rejections.is(refused, Rejection.Reason.CAPACITY_EXHAUSTED)) {
                        throw refused;
                    }
                    // The node is full, or others filled the new subsystem first. Look again: only
                    // the node's own refusal, with nothing left that has room or is being created,
                    // is the answer no (and it carries the node's slot figures).
                    boolean nodeRefused = NODE.equals(Rejections.of(refused).orElseThrow().resourceType());
                    if (nodeRefused && index.view(nodeId, claimPatience).hopeless()) {
                        throw noRoom(nodeId, Rejections.of(refused).orElseThrow(), "No subsystem on node "
                                + TenantIds.bare(nodeId) + " has a free namespace slot, and the node has no free subsystem slot for another");
                    }
                }
            } else {
                pause();
            }
            if (Instant.now().isAfter(giveUp)) {
                throw new Rejection(Rejection.Reason.CAPACITY_EXHAUSTED, NODE, nodeId, "place", Map.of(), null,
                        true, "No subsystem on node " + TenantIds.bare(nodeId)
                        + " had room while this placement was tried");
            }
        }
    }

    /** A subsystem made after the claim's fence could not be used by this placement: do not spend a slot on it. */
    private static void beforeFence(String nodeId, Instant createBefore) {
        if (!Instant.now().isBefore(createBefore)) {
            throw new Rejection(Rejection.Reason.LOCK_HELD, NODE, nodeId, "place", Map.of(), null, true,
                    "This placement ran out of time before it could make a namespace");
        }
    }

    /** The node's own refusal, told as the placement's answer: its slot figures and version. */
    private static Rejection noRoom(String nodeId, Rejection refusal, String detail) {
        boolean fromNode = NODE.equals(refusal.resourceType());
        return new Rejection(Rejection.Reason.CAPACITY_EXHAUSTED, NODE, nodeId, "place",
                fromNode ? refusal.state() : Map.of(), fromNode ? refusal.version() : null, false, detail);
    }

    private NamespaceAnswer allocate(String nqn, String lvolId, String tenantScope, Instant createBefore) {
        return commands.send(new AllocateNamespace(nqn, lvolId, tenantScope, null, createBefore));
    }

    private static Placed placed(NamespaceAnswer answer) {
        return new Placed(answer.nodeId(), answer.lvolId(), answer.nqn(), answer.nsid(),
                answer.allocated(), answer.version());
    }

    /**
     * A fresh nqn in Interlock's own naming authority, telling which node the subsystem is on, in
     * the node's tenant's id space.
     */
    static String newNqn(String nodeId) {
        return TenantIds.qualify(TenantIds.tenantOf(nodeId), "nqn.2026-01.io.interlock:" + TenantIds.bare(nodeId)
                + ":" + UUID.randomUUID().toString().substring(0, 8));
    }

    private static void pause() {
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(10, 50));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for a subsystem to be created", e);
        }
    }
}
