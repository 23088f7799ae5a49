package io.interlock.command.replacement;

import io.interlock.command.support.Api;
import io.interlock.command.support.EventStore;
import io.interlock.command.support.Instances;
import io.interlock.command.support.Races;
import io.interlock.command.support.Replica;
import io.interlock.command.support.Replacements;
import io.interlock.command.support.TwoReplicas;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static io.interlock.command.support.Replacements.addStep;
import static io.interlock.command.support.Replacements.step;
import static io.interlock.command.support.Replacements.transition;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Race catalogue 5 and 6, and the repair lock under contention, over HTTP against
 * two command-side replicas that share only PostgreSQL.
 */
class ReplacementRaceTest {

    private static final String SCHEMA = TwoReplicas.SCHEMA;

    private static Map<Integer, Long> byStatus(List<Api.Response> responses) {
        return responses.stream().collect(Collectors.groupingBy(Api.Response::status, Collectors.counting()));
    }

    @Test
    void twoSagasRacingBeginAllocationLetExactlyOneInAndTheLosersFinishIsRefused() throws Exception {
        Replica a = TwoReplicas.a();
        Replica b = TwoReplicas.b();
        for (int round = 0; round < 5; round++) {
            String id = Replacements.requested(a);
            String[] sagas = {"saga-a-" + round, "saga-b-" + round};

            List<Api.Response> responses = Races.race(2, i -> transition(i == 0 ? a : b, id, "begin-allocation",
                    sagas[i]));

            assertThat(byStatus(responses)).as(responses.toString())
                    .containsExactlyInAnyOrderEntriesOf(Map.of(200, 1L, 409, 1L));
            int winner = responses.get(0).status() == 200 ? 0 : 1;
            Api.Response lost = responses.get(1 - winner);
            assertThat(lost.problemType()).isEqualTo("lock-held");
            assertThat(lost.field("operatingSagaId")).isEqualTo(sagas[winner]);
            assertThat(responses.get(winner).field("state")).isEqualTo("ALLOCATING");
            assertThat(responses.get(winner).field("operatingSagaId")).isEqualTo(sagas[winner]);

            Api.Response losersFinish = transition(winner == 0 ? b : a, id, "finish-allocation", sagas[1 - winner]);
            assertThat(losersFinish.status()).as(losersFinish.text()).isEqualTo(409);
            assertThat(losersFinish.problemType()).isEqualTo("lock-held");

            Api.Response winnersFinish = transition(winner == 0 ? b : a, id, "finish-allocation", sagas[winner]);
            assertThat(winnersFinish.status()).as(winnersFinish.text()).isEqualTo(200);
            assertThat(winnersFinish.field("state")).isEqualTo("REPLACEMENT_DONE");
            Api.Response losersLateFinish = transition(a, id, "finish-allocation", sagas[1 - winner]);
            assertThat(losersLateFinish.status()).isEqualTo(409);

            assertThat(EventStore.history(SCHEMA, id).stream()
                    .filter(e -> e.payload().contains("\"BEGIN_ALLOCATION\""))).hasSize(1);
        }
    }

    @Test
    void aVolumeDeletedWhileItsStepIsRequestedEndsVolumeDeletedAndTheRequestCompletes() throws Exception {
        Replica a = TwoReplicas.a();
        Replica b = TwoReplicas.b();
        String snapshotVolume = Replacements.volume(a);
        String id = Instances.newId("rr");
        assertThat(Replacements.create(a, id, snapshotVolume).status()).isEqualTo(201);
        Replacements.running(b, id, "saga-1");
        String doomed = Replacements.volume(a);
        String kept = Replacements.volume(b);
        Api.Response added = addStep(a, id, doomed);
        assertThat(added.status()).as(added.text()).isEqualTo(201);
        assertThat(Replacements.stepState(added, doomed)).isEqualTo("REQUESTED");
        assertThat(addStep(b, id, kept).status()).isEqualTo(201);

        Api.Response deleted = Api.as("alice").post(b, "/v1/volumes/" + doomed + "/delete", "{\"hard\":false}");
        assertThat(deleted.status()).as(deleted.text()).isEqualTo(200);
        assertThat(deleted.field("deletionStatus")).isEqualTo("SOFT_DELETED");

        // the saga is asynchronous: the lock is given back once the step is settled
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        Api.Response volume = deleted;
        while (volume.field("lockHolder") != null && Instant.now().isBefore(deadline)) {
            Thread.sleep(200);
            volume = Api.as("alice").post(a, "/v1/volumes/" + doomed + "/delete", "{\"hard\":false}");
        }
        assertThat(volume.field("lockHolder")).as("the deleted volume's repair lock").isNull();
        Api.Response again = addStep(b, id, doomed);
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.field("skipped")).isEqualTo("volume deleted");
        assertThat(Replacements.stepState(again, doomed)).isEqualTo("VOLUME_DELETED");
        assertThat(EventStore.history(SCHEMA, id).stream()
                .filter(e -> e.shortType().equals("ReplacementStepVolumeDeleted"))).hasSize(1);

        // the other step runs its course; then the request can complete
        assertThat(step(a, id, kept, "begin", "step-saga").status()).isEqualTo(200);
        assertThat(step(b, id, kept, "complete", "step-saga").status()).isEqualTo(200);
        Api.Response tooEarly = transition(a, id, "begin-completing", "saga-2");
        assertThat(tooEarly.status()).isEqualTo(409);
        assertThat(tooEarly.problemType()).isEqualTo("invalid-state");
        assertThat(step(a, id, kept, "volume-deleted", "gc-saga").status()).isEqualTo(200);
        assertThat(Api.as("agent").post(b, "/v1/replacements/" + id + "/target-deleted").status()).isEqualTo(200);
        Api.Response completing = transition(a, id, "begin-completing", "saga-2");
        assertThat(completing.status()).as(completing.text()).isEqualTo(200);
        assertThat(completing.field("state")).isEqualTo("COMPLETING");

        // while the request lives it holds its snapshot volume; finishing gives the lock back
        Api.Response blocked = Replacements.create(b, Instances.newId("rr"), snapshotVolume);
        assertThat(blocked.status()).isEqualTo(409);
        assertThat(blocked.problemType()).isEqualTo("lock-held");
        Api.Response complete = transition(b, id, "finish-completing", "saga-2");
        assertThat(complete.status()).as(complete.text()).isEqualTo(200);
        assertThat(complete.field("state")).isEqualTo("COMPLETE");
        assertThat(Replacements.create(a, Instances.newId("rr"), snapshotVolume).status()).isEqualTo(201);
        // and the completed step's volume is free for another request's step
        String other = Replacements.requested(b);
        Replacements.running(b, other, "saga-3");
        Api.Response retaken = addStep(a, other, kept);
        assertThat(retaken.status()).as(retaken.text()).isEqualTo(201);
    }

    /**
     * The deletion saga waits for a RUNNING step's saga (it is stored meanwhile, through Jackson,
     * in the JPA saga store); when the step unwinds to REQUESTED, it is settled then.
     */
    @Test
    void aVolumeDeletedUnderARunningStepIsSettledWhenTheStepUnwinds() throws Exception {
        Replica a = TwoReplicas.a();
        Replica b = TwoReplicas.b();
        String id = Replacements.requested(a);
        Replacements.running(a, id, "saga-1");
        String volume = Replacements.volume(b);
        assertThat(addStep(a, id, volume).status()).isEqualTo(201);
        assertThat(step(b, id, volume, "begin", "step-saga").status()).isEqualTo(200);

        Api.Response deleted = Api.as("alice").post(a, "/v1/volumes/" + volume + "/delete", "{\"hard\":true}");
        assertThat(deleted.status()).isEqualTo(200);
        String holder = deleted.field("lockHolder");
        assertThat(holder).isEqualTo("replacement/" + id + "/steps/" + volume);
        Instant settled = Instant.now().plus(Duration.ofSeconds(30));
        String waiting = "select count(*) from association_value_entry a join saga_entry s on s.saga_id = a.saga_id"
                + " where a.association_key = 'volumeId' and a.association_value = ?";
        while (EventStore.count(SCHEMA, waiting, volume) == 0 && Instant.now().isBefore(settled)) {
            Thread.sleep(200);
        }
        assertThat(EventStore.count(SCHEMA, waiting, volume)).as("the stored deletion saga").isEqualTo(1);
        Api.Response stillHeld = Api.as("alice").post(b, "/v1/volumes/" + volume + "/delete", "{\"hard\":true}");
        assertThat(stillHeld.field("lockHolder")).as("a running step keeps its lock").isEqualTo(holder);

        Api.Response undone = step(a, id, volume, "undo", "step-saga");
        assertThat(undone.status()).as(undone.text()).isEqualTo(200);

        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        Api.Response volumeNow = stillHeld;
        while (volumeNow.field("lockHolder") != null && Instant.now().isBefore(deadline)) {
            Thread.sleep(200);
            volumeNow = Api.as("alice").post(b, "/v1/volumes/" + volume + "/delete", "{\"hard\":true}");
        }
        assertThat(volumeNow.field("lockHolder")).isNull();
        Api.Response again = addStep(b, id, volume);
        assertThat(Replacements.stepState(again, volume)).isEqualTo("VOLUME_DELETED");
    }

    /**
     * Deleting a volume while its step is being added, from the other replica: whichever wins,
     * the volume ends with its lock free and no REQUESTED step left waiting on it.
     */
    @Test
    void aVolumeDeletedWhileItsStepIsBeingAddedNeverLeavesAStepWaiting() throws Exception {
        Replica a = TwoReplicas.a();
        Replica b = TwoReplicas.b();
        String id = Replacements.requested(a);
        Replacements.running(a, id, "saga-1");
        for (int round = 0; round < 6; round++) {
            String volume = Replacements.volume(a);

            List<Api.Response> responses = Races.race(2, i -> i == 0 ? addStep(a, id, volume)
                    : Api.as("alice").post(b, "/v1/volumes/" + volume + "/delete", "{\"hard\":false}"));

            assertThat(responses.get(0).status()).as(responses.get(0).text()).isIn(200, 201);
            assertThat(responses.get(1).status()).as(responses.get(1).text()).isEqualTo(200);
            Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
            Api.Response now = responses.get(1);
            while (now.field("lockHolder") != null && Instant.now().isBefore(deadline)) {
                Thread.sleep(200);
                now = Api.as("alice").post(a, "/v1/volumes/" + volume + "/delete", "{\"hard\":false}");
            }
            assertThat(now.field("lockHolder")).as("round " + round + ": the lock").isNull();
            Api.Response settled = addStep(b, id, volume);
            assertThat(settled.field("skipped")).isEqualTo("volume deleted");
            assertThat(Replacements.stepState(settled, volume)).as("round " + round + ": the step")
                    .isIn(null, "VOLUME_DELETED");
        }
    }

    @Test
    void twoRequestsRacingForOneVolumesRepairLockLeaveExactlyOneHolder() throws Exception {
        Replica a = TwoReplicas.a();
        Replica b = TwoReplicas.b();
        for (int round = 0; round < 3; round++) {
            String volume = Replacements.volume(a);
            String[] ids = {Instances.newId("rr"), Instances.newId("rr"), Instances.newId("rr"), Instances.newId("rr")};

            List<Api.Response> responses = Races.race(ids.length, i -> Replacements.create(i % 2 == 0 ? a : b,
                    ids[i], volume));

            assertThat(byStatus(responses)).as(responses.toString())
                    .containsExactlyInAnyOrderEntriesOf(Map.of(201, 1L, 409, 3L));
            assertThat(responses.stream().filter(r -> r.status() == 409).map(Api.Response::problemType))
                    .containsOnly("lock-held");
            long created = 0;
            for (String id : ids) {
                created += EventStore.history(SCHEMA, id).size();
            }
            assertThat(created).as("requests in the event store").isEqualTo(1);
            assertThat(EventStore.history(SCHEMA, volume).stream()
                    .filter(e -> e.shortType().equals("VolumeRepairLockAcquired"))).hasSize(1);
        }
    }

    @Test
    void identicalCreatesRacingLeaveOneRequestThatKeepsItsLock() throws Exception {
        Replica a = TwoReplicas.a();
        Replica b = TwoReplicas.b();
        for (int round = 0; round < 3; round++) {
            String volume = Replacements.volume(a);
            String id = Instances.newId("rr");

            List<Api.Response> responses = Races.race(4, i -> Replacements.create(i % 2 == 0 ? a : b, id, volume));

            assertThat(byStatus(responses)).as(responses.toString())
                    .containsExactlyInAnyOrderEntriesOf(Map.of(201, 1L, 409, 3L));
            assertThat(responses.stream().filter(r -> r.status() == 409).map(Api.Response::problemType))
                    .containsOnly("already-exists");
            Api.Response other = Replacements.create(b, Instances.newId("rr"), volume);
            assertThat(other.problemType()).as("the volume is still held by " + id).isEqualTo("lock-held");
            assertThat(other.field("lockHolder")).isEqualTo("replacement/" + id);
        }
    }

    @Test
    void twoStepsRacingForOneVolumeFromTwoRequestsLeaveOneStep() throws Exception {
        Replica a = TwoReplicas.a();
        Replica b = TwoReplicas.b();
        String first = Replacements.requested(a);
        String second = Replacements.requested(b);
        Replacements.running(a, first, "saga-1");
        Replacements.running(b, second, "saga-2");
        String volume = Replacements.volume(a);
        String[] ids = {first, second};

        List<Api.Response> responses = Races.race(2, i -> addStep(i == 0 ? a : b, ids[i], volume));

        assertThat(byStatus(responses)).as(responses.toString())
                .containsExactlyInAnyOrderEntriesOf(Map.of(201, 1L, 200, 1L));
        Api.Response skipped = responses.stream().filter(r -> r.status() == 200).findFirst().orElseThrow();
        assertThat(skipped.field("skipped")).isEqualTo("already handled");
        assertThat(Replacements.stepState(skipped, volume)).isNull();
    }
}
