package io.interlock.command.store;

import io.interlock.command.instance.Instance;
import io.interlock.command.node.Node;
import io.interlock.command.replacement.Replacement;
import io.interlock.command.share.Share;
import io.interlock.command.subsystem.Subsystem;
import io.interlock.command.support.Api;
import io.interlock.command.support.EventStore;
import io.interlock.command.support.Instances;
import io.interlock.command.support.Replacements;
import io.interlock.command.support.Replica;
import io.interlock.command.support.Shares;
import io.interlock.command.support.Storage;
import io.interlock.command.support.TestDatabase;
import io.interlock.command.support.TwoReplicas;
import io.interlock.command.volume.Volume;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventsourcing.Snapshotter;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.axonframework.modelling.command.Repository;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The aggregate cache must never answer from a state another replica has moved on from, and the
 * snapshots that stand in for long histories must hold exactly what the events fold to.
 */
class CatchUpCachingRepositoryTest {

    private static final String SNAPSHOT_SCHEMA = TestDatabase.schema("snapshots");
    private static Replica snapshotting;

    @BeforeAll
    static void startReplicaThatSnapshotsOften() {
        snapshotting = Replica.start("snapshots", SNAPSHOT_SCHEMA, Map.of("interlock.aggregates.snapshot-every", "4"));
    }

    @AfterAll
    static void stop() {
        snapshotting.close();
    }

    /** Replica a caches the instance mid-shelve; b finishes the shelve; a must see it finished. */
    @Test
    void aCachedAggregateCatchesUpWithWhatTheOtherReplicaAppended() {
        Replica a = TwoReplicas.a();
        Replica b = TwoReplicas.b();
        String id = Instances.active(a, "alice");
        Api.Response shelving = Api.as("alice").post(a, "/v1/instances/" + id + "/actions/shelve", "{}");
        assertThat(shelving.status()).isEqualTo(202);

        Api.Response shelved = Api.as("agent").post(b, "/v1/instances/acme:" + id + "/tasks/" + shelving.field("taskId")
                + "/complete");
        assertThat(shelved.status()).isEqualTo(200);

        Api.Response unshelving = Api.as("alice").post(a, "/v1/instances/" + id + "/actions/unshelve", "{}");
        assertThat(unshelving.status()).as(unshelving.text()).isEqualTo(202);
        assertThat(Long.parseLong(unshelving.field("version"))).isEqualTo(Long.parseLong(shelved.field("version")) + 1);
    }

    /** The other way round: a cached ACTIVE instance must not accept a shelve b has already started. */
    @Test
    void aCachedAggregateRejectsWhatTheOtherReplicaAlreadyStarted() {
        Replica a = TwoReplicas.a();
        Replica b = TwoReplicas.b();
        String id = Instances.active(a, "alice");

        assertThat(Api.as("alice").post(b, "/v1/instances/" + id + "/actions/shelve", "{}").status()).isEqualTo(202);
        Api.Response second = Api.as("alice").post(a, "/v1/instances/" + id + "/actions/shelve", "{}");

        assertThat(second.status()).isEqualTo(409);
        assertThat(second.field("taskState")).isEqualTo("SHELVING");
    }

    @Test
    void anInstanceSnapshotFoldsToTheSameStateAsItsEvents() {
        String id = Instances.active(snapshotting, "alice");
        for (int i = 0; i < 3; i++) {
            assertThat(Api.as("alice").post(snapshotting, "/v1/instances/" + id + "/actions/lock", "{}").status())
                    .isEqualTo(200);
            assertThat(Api.as("alice").post(snapshotting, "/v1/instances/" + id + "/actions/unlock", "{}").status())
                    .isEqualTo(200);
        }
        Api.Response pausing = Api.as("alice").post(snapshotting, "/v1/instances/" + id + "/actions/pause", "{}");
        assertThat(pausing.status()).isEqualTo(202);

        assertSnapshotMatchesEvents(Instance.class, "instanceRepository", "acme:" + id);

        // loaded from the snapshot, the instance still knows its running task
        Api.Response paused = Api.as("agent").post(snapshotting, "/v1/instances/acme:" + id + "/tasks/"
                + pausing.field("taskId") + "/complete");
        assertThat(paused.status()).as(paused.text()).isEqualTo(200);
        assertThat(paused.field("vmState")).isEqualTo("PAUSED");
    }

    @Test
    void everyOtherAggregateSnapshotFoldsToTheSameStateAsItsEvents() {
        String share = Shares.available(snapshotting, "alice");
        Shares.snapshot(snapshotting, "alice", share);
        assertSnapshotMatchesEvents(Share.class, "shareRepository", "acme:" + share);

        String node = Storage.node(snapshotting, "admin", 4);
        String nqn = Storage.subsystem(snapshotting, "admin", node, 4);
        for (String lvol : new String[]{"lv-1", "lv-2", "lv-3"}) {
            assertThat(Storage.allocate(snapshotting, "admin", "default:" + nqn, lvol).status()).isEqualTo(201);
        }
        assertSnapshotMatchesEvents(Subsystem.class, "subsystemRepository", "default:" + nqn);
        assertSnapshotMatchesEvents(Node.class, "nodeRepository", "default:" + node);

        String volume = Replacements.volume(snapshotting);
        String request = Instances.newId("rr");
        assertThat(Replacements.create(snapshotting, request, volume).status()).isEqualTo(201);
        Replacements.running(snapshotting, request, "saga-1");
        assertSnapshotMatchesEvents(Replacement.class, "replacementRepository", request);
        // the request holds the volume's repair lock, so the volume has more than its first event
        assertSnapshotMatchesEvents(Volume.class, "volumeRepository", volume);
    }

    /**
     * Takes a snapshot with the application's own snapshotter and serializer, then reads it back
     * as the first message of the aggregate's stream and compares it, field by field, with the
     * aggregate folded from its events alone.
     */
    private static <T> void assertSnapshotMatchesEvents(Class<T> type, String repositoryBean, String id) {
        CatchUpCachingRepository<?> repository = snapshotting.bean(repositoryBean, CatchUpCachingRepository.class);
        repository.forgetCached();
        Object fromEvents = load(repository, id);

        long version = EventStore.history(SNAPSHOT_SCHEMA, id).size() - 1;
        awaitSnapshot(type, id, version);
        DomainEventMessage<?> snapshot = snapshotting.bean(org.axonframework.eventsourcing.eventstore.EventStore.class)
                .readEvents(id).peek();
        assertThat(snapshot.getPayloadType()).isEqualTo(type);
        assertThat(snapshot.getSequenceNumber()).isEqualTo(version);
        assertThat(snapshot.getPayload()).usingRecursiveComparison().isEqualTo(fromEvents);

        repository.forgetCached();
        assertThat(load(repository, id)).usingRecursiveComparison().isEqualTo(fromEvents);
    }

    private static Object load(Repository<?> repository, String id) {
        UnitOfWork<?> unitOfWork = DefaultUnitOfWork.startAndGet(null);
        unitOfWork.attachTransaction(snapshotting.bean(TransactionManager.class));
        var result = unitOfWork.executeWithResult(() -> repository.load(id).invoke(root -> root));
        assertThat(result.isExceptional()).as(String.valueOf(result.optionalExceptionResult())).isFalse();
        return result.getPayload();
    }

    /** Asks again while waiting: a request is dropped while an earlier snapshot of the aggregate runs. */
    private static void awaitSnapshot(Class<?> type, String id, long version) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
        while (snapshotRequested(type, id) && EventStore.count(SNAPSHOT_SCHEMA,
                "select count(*) from snapshot_event_entry where aggregate_identifier = ? and sequence_number = ?",
                id, version) == 0) {
            assertThat(Instant.now()).as("snapshot of " + id + " at " + version).isBefore(deadline);
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private static boolean snapshotRequested(Class<?> type, String id) {
        snapshotting.bean(Snapshotter.class).scheduleSnapshot(type, id);
        return true;
    }
}
