package io.interlock.command.replacement;

import io.interlock.command.support.Api;
import io.interlock.command.support.EventStore;
import io.interlock.command.support.Instances;
import io.interlock.command.support.Replacements;
import io.interlock.command.support.TwoReplicaTest;
import org.junit.jupiter.api.Test;

import static io.interlock.command.support.Replacements.addStep;
import static io.interlock.command.support.Replacements.step;
import static io.interlock.command.support.Replacements.transition;
import static io.interlock.command.support.ProblemAssertions.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Volumes and replacement requests over HTTP: idempotent repeats, the repair lock's rules, and
 * every bad input answered with a 4xx problem that changes nothing.
 */
class ReplacementHttpTest extends TwoReplicaTest {

    @Test
    void aRepeatedTransitionAnswersTheSameVersionAndAddsNoEvent() {
        String id = Replacements.requested(a);
        Api.Response first = transition(a, id, "begin-allocation", "saga-1");
        assertThat(first.status()).isEqualTo(200);
        assertThat(first.header("etag")).isEqualTo("\"" + first.field("version") + "\"");
        int events = EventStore.history(SCHEMA, id).size();

        Api.Response repeat = transition(b, id, "begin-allocation", "saga-1");

        assertThat(repeat.status()).isEqualTo(200);
        assertThat(repeat.field("version")).isEqualTo(first.field("version"));
        assertThat(repeat.field("operatingSagaId")).isEqualTo("saga-1");
        assertThat(EventStore.history(SCHEMA, id)).hasSize(events);
    }

    @Test
    void anUnwindHandsTheRequestBackAndAnotherSagaMayTakeIt() {
        String id = Replacements.requested(a);
        assertThat(transition(a, id, "begin-allocation", "saga-1").status()).isEqualTo(200);
        assertProblem(transition(b, id, "undo-allocation", "saga-2"), 409, "lock-held");

        Api.Response undone = transition(b, id, "undo-allocation", "saga-1");

        assertThat(undone.status()).isEqualTo(200);
        assertThat(undone.field("state")).isEqualTo("REQUESTED");
        assertThat(undone.field("operatingSagaId")).isNull();
        Api.Response taken = transition(a, id, "begin-allocation", "saga-2");
        assertThat(taken.status()).isEqualTo(200);
        assertThat(taken.field("operatingSagaId")).isEqualTo("saga-2");
    }

    @Test
    void aStaleIfMatchOnATransitionIs412AndChangesNothing() {
        String id = Replacements.requested(a);
        int events = EventStore.history(SCHEMA, id).size();

        Api.Response stale = Api.as("agent").header("If-Match", "\"7\"").post(a,
                "/v1/replacements/" + id + "/transitions/begin-allocation", "{\"sagaId\":\"saga-1\"}");

        assertProblem(stale, 412, "version-mismatch");
        assertThat(EventStore.history(SCHEMA, id)).hasSize(events);
    }

    @Test
    void completingFromRequestedGivesTheSnapshotVolumeBack() {
        String volume = Replacements.volume(a);
        String id = Instances.newId("rr");
        assertThat(Replacements.create(a, id, volume).status()).isEqualTo(201);
        assertProblem(Replacements.create(b, Instances.newId("rr"), volume), 409, "lock-held");

        Api.Response complete = transition(b, id, "complete-from-requested", "gc-saga");

        assertThat(complete.status()).as(complete.text()).isEqualTo(200);
        assertThat(complete.field("state")).isEqualTo("COMPLETE");
        assertThat(Replacements.create(a, Instances.newId("rr"), volume).status()).isEqualTo(201);
    }

    @Test
    void aVolumeHeldByARequestCannotBecomeAStep() {
        String holder = Instances.newId("rr");
        String volume = Replacements.volume(a);
        assertThat(Replacements.create(a, holder, volume).status()).isEqualTo(201);
        String id = Replacements.requested(b);
        Replacements.running(b, id, "saga-1");

        Api.Response refused = addStep(a, id, volume);

        assertProblem(refused, 409, "lock-held");
        assertThat(refused.field("lockHolder")).isEqualTo("replacement/" + holder);
        assertThat(EventStore.history(SCHEMA, id).stream().filter(e -> e.shortType().equals("ReplacementStepAdded")))
                .isEmpty();
    }

    @Test
    void aDeletedVolumeIsSkippedAndARepeatedStepIsAlreadyHandled() {
        String id = Replacements.requested(a);
        Replacements.running(a, id, "saga-1");
        String gone = Replacements.volume(a);
        assertThat(Api.as("alice").post(b, "/v1/volumes/" + gone + "/delete", "{\"hard\":true}").field(
                "deletionStatus")).isEqualTo("HARD_DELETED");
        String live = Replacements.volume(b);

        Api.Response skipped = addStep(b, id, gone);
        Api.Response added = addStep(a, id, live);
        Api.Response repeated = addStep(b, id, live);

        assertThat(skipped.status()).isEqualTo(200);
        assertThat(skipped.field("skipped")).isEqualTo("volume deleted");
        assertThat(Replacements.stepState(skipped, gone)).isNull();
        assertThat(added.status()).isEqualTo(201);
        assertThat(added.json().has("skipped")).isFalse();
        assertThat(repeated.status()).isEqualTo(200);
        assertThat(repeated.field("skipped")).isEqualTo("already handled");
        assertThat(repeated.field("version")).isEqualTo(added.field("version"));
    }

    @Test
    void aCreateWithAnExistingIdIsRefusedAndGivesBackTheLockItTook() {
        String id = Replacements.requested(a);
        String second = Replacements.volume(a);

        assertProblem(Replacements.create(b, id, second), 409, "already-exists");

        assertThat(Replacements.create(a, Instances.newId("rr"), second).status()).isEqualTo(201);
    }

    @Test
    void badVolumeInputIsAValidationProblem() {
        assertProblem(Api.as("alice").post(a, "/v1/volumes", "{}"), 400, "validation");
        assertProblem(Api.as("alice").post(a, "/v1/volumes", "{\"volumeId\":\"no spaces\"}"), 400, "validation");
        assertProblem(Api.as("alice").post(a, "/v1/volumes", "{\"volumeId\":"), 400, "validation");
        String volume = Replacements.volume(a);
        assertProblem(Api.as("alice").post(b, "/v1/volumes", "{\"volumeId\":\"" + volume + "\"}"), 409,
                "already-exists");
        assertProblem(Api.as("alice").post(a, "/v1/volumes/" + volume + "/delete", "{}"), 400, "validation");
        assertProblem(Api.as("alice").post(a, "/v1/volumes/" + volume + "/delete", "{\"hard\":\"maybe\"}"), 400,
                "validation");
        assertProblem(Api.as("alice").post(a, "/v1/volumes/nope-" + volume + "/delete", "{\"hard\":true}"), 404,
                "not-found");
        assertThat(EventStore.history(SCHEMA, volume)).hasSize(1);
    }

    @Test
    void badReplacementInputIsAProblemAndChangesNothing() {
        String unregistered = Instances.newId("vol");
        String id = Instances.newId("rr");
        assertProblem(Replacements.create(a, id, unregistered), 404, "not-found");
        assertThat(EventStore.history(SCHEMA, id)).isEmpty();
        assertProblem(Api.as("alice").post(a, "/v1/replacements", "{\"snapshotVolumeId\":\"v\"}"), 400,
                "validation");

        String existing = Replacements.requested(a);
        int events = EventStore.history(SCHEMA, existing).size();
        assertProblem(transition(a, existing, "begin-teleport", "saga-1"), 400, "validation");
        assertProblem(Api.as("agent").post(a, "/v1/replacements/" + existing + "/transitions/begin-allocation",
                "{}"), 400, "validation");
        assertProblem(Api.as("agent").post(a, "/v1/replacements/" + existing + "/transitions/begin-allocation",
                "{\"sagaId\":"), 400, "validation");
        assertThat(transition(a, existing, "begin-allocation", "saga-1").status()).isEqualTo(200);
        events++;
        Api.Response missing = Api.as("agent").post(a, "/v1/replacements/" + existing
                + "/transitions/finish-allocation", "{\"sagaId\":\"saga-1\",\"newRegionId\":\"r\"}");
        assertProblem(missing, 400, "validation");
        assertThat(missing.field("detail")).contains("newRegionVolumeId");
        assertProblem(step(a, existing, "vol-x", "begin", "saga-1"), 404, "not-found");
        assertProblem(step(a, existing, "vol-x", "teleport", "saga-1"), 400, "validation");
        assertProblem(addStep(a, existing, "no spaces"), 400, "validation");
        assertProblem(transition(a, "nope-" + existing, "begin-allocation", "saga-1"), 404, "not-found");
        assertThat(EventStore.history(SCHEMA, existing)).hasSize(events);
    }

    @Test
    void onlyAgentsAndAdminsDriveTheWorkflow() {
        String id = Replacements.requested(a);

        assertProblem(Api.as("alice").post(a, "/v1/replacements/" + id + "/transitions/begin-allocation",
                "{\"sagaId\":\"saga-1\"}"), 403, "forbidden");
        assertProblem(Api.as("alice").post(a, "/v1/replacements/" + id + "/target-deleted"), 403, "forbidden");
        assertProblem(Api.as("auditor").post(a, "/v1/volumes", "{\"volumeId\":\"v-1\"}"), 403, "forbidden");
        assertProblem(Api.anonymous().post(a, "/v1/replacements/" + id + "/transitions/begin-allocation",
                "{\"sagaId\":\"saga-1\"}"), 401, "unauthenticated");
        assertThat(Api.as("admin").post(a, "/v1/replacements/" + id + "/transitions/begin-allocation",
                "{\"sagaId\":\"saga-1\"}").status()).isEqualTo(200);
    }
}
