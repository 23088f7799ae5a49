package io.interlock.query.replacement;

import io.interlock.command.support.Api;
import io.interlock.command.support.Instances;
import io.interlock.command.support.Replacements;
import io.interlock.command.support.Replica;
import io.interlock.query.support.QueryApp;
import io.interlock.query.support.Stack;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

import static io.interlock.command.support.Replacements.transition;
import static org.assertj.core.api.Assertions.assertThat;

/** The replacement query API over HTTP, fed by a real command side through the event store. */
class ReplacementQueryTest {

    private static Replica command;
    private static QueryApp query;

    @BeforeAll
    static void stack() {
        command = Stack.command();
        query = Stack.query();
    }

    /** Waits until the read model shows what a command answered (read-your-writes). */
    private static Api.Response seen(String id, Api.Response commandAnswer) {
        assertThat(commandAnswer.status()).as(commandAnswer.text()).isIn(200, 201);
        return seen(id, Long.parseLong(commandAnswer.field("version")));
    }

    private static Api.Response seen(String id, long version) {
        Api.Response view = Api.as("alice").get(query, "/v1/replacements/" + id + "?minVersion=" + version);
        assertThat(view.status()).as(view.text()).isEqualTo(200);
        return view;
    }

    private static JsonNode step(Api.Response view, String volumeId) {
        for (JsonNode step : view.json().get("steps")) {
            if (step.get("volumeId").asString().equals(volumeId)) {
                return step;
            }
        }
        throw new AssertionError("no step for " + volumeId + " in " + view.text());
    }

    @Test
    void theStateOperatingSagaAndStepsShowUpAfterEachTransition() {
        String id = Replacements.requested(command);
        String saga = Instances.newId("saga");

        Api.Response allocating = seen(id, transition(command, id, "begin-allocation", saga));
        assertThat(allocating.field("state")).isEqualTo("ALLOCATING");
        assertThat(allocating.field("operatingSagaId")).isEqualTo(saga);
        assertThat(allocating.field("stateEnteredAt")).isNotNull();
        assertThat(allocating.json().get("allowedActions").toString())
                .isEqualTo("[\"undo-allocation\",\"finish-allocation\"]");

        // the unwind clears the lock and puts the request back
        Api.Response undone = seen(id, transition(command, id, "undo-allocation", saga));
        assertThat(undone.field("state")).isEqualTo("REQUESTED");
        assertThat(undone.field("operatingSagaId")).isNull();

        Replacements.running(command, id, saga);
        String volume = Replacements.volume(command);
        Api.Response added = Replacements.addStep(command, id, volume);
        assertThat(added.status()).as(added.text()).isEqualTo(201);
        Api.Response withStep = seen(id, added);
        assertThat(withStep.field("state")).isEqualTo("RUNNING");
        assertThat(withStep.field("newRegionId")).isEqualTo("region-new");
        assertThat(step(withStep, volume).get("state").asString()).isEqualTo("REQUESTED");
        assertThat(step(withStep, volume).get("allowedActions").toString()).isEqualTo("[\"begin\"]");

        Api.Response begun = seen(id, Replacements.step(command, id, volume, "begin", "step-" + saga));
        JsonNode running = step(begun, volume);
        assertThat(running.get("state").asString()).isEqualTo("RUNNING");
        assertThat(running.get("operatingSagaId").asString()).isEqualTo("step-" + saga);
        assertThat(running.get("updatedAt").asString()).isNotBlank();
        assertThat(begun.header("etag")).isEqualTo("\"" + begun.field("version") + "\"");
        // the step holds the volume's repair lock, and the volume read model says so
        Api.Response volumeView = Api.as("alice").get(query, "/v1/volumes/" + volume + "?minVersion=1");
        assertThat(volumeView.field("lockHolder")).isEqualTo("replacement/" + id + "/steps/" + volume);
    }

    @Test
    void aVolumeDeletedUnderARequestedStepShowsTheStepVolumeDeletedWithoutAnyCallerHelp() throws Exception {
        String id = Replacements.requested(command);
        Replacements.running(command, id, "s-del");
        String volume = Replacements.volume(command);
        Api.Response added = Replacements.addStep(command, id, volume);
        long stepAdded = Long.parseLong(seen(id, added).field("version"));

        Api.Response deleted = Api.as("alice").post(command, "/v1/volumes/" + volume + "/delete", "{\"hard\":true}");
        assertThat(deleted.status()).as(deleted.text()).isEqualTo(200);

        // the deletion saga settles the step: one more event on the request
        Api.Response settled = Api.as("alice").get(query, "/v1/replacements/" + id + "?minVersion=" + (stepAdded + 1));
        assertThat(settled.status()).as(settled.text()).isEqualTo(200);
        assertThat(step(settled, volume).get("state").asString()).isEqualTo("VOLUME_DELETED");
        Api.Response volumeView = awaitVolume(volume, v -> v.field("lockHolder") == null);
        assertThat(volumeView.field("deletionStatus")).isEqualTo("HARD_DELETED");
    }

    @Test
    void filtersPagingAndSorting() {
        String allocating = Replacements.requested(command);
        String sagaA = Instances.newId("saga");
        seen(allocating, transition(command, allocating, "begin-allocation", sagaA));
        String running = Replacements.requested(command);
        Replacements.running(command, running, "s-r");
        String volume = Replacements.volume(command);
        Replacements.addStep(command, running, volume);
        seen(running, Replacements.step(command, running, volume, "begin", "st-" + running));
        String requested = Replacements.requested(command);
        seen(requested, 0);

        assertThat(ids("state=ALLOCATING&operatingSagaId=" + sagaA)).containsExactly(allocating);
        assertThat(ids("held=true&size=500")).contains(allocating).doesNotContain(running, requested);
        assertThat(ids("held=false&state=REQUESTED,RUNNING&size=500")).contains(running, requested)
                .doesNotContain(allocating);
        assertThat(ids("stepState=RUNNING&size=500")).contains(running).doesNotContain(allocating, requested);
        assertThat(ids("targetDeleted=false&snapshotVolumeId=nobody")).isEmpty();
        assertThat(ids("regionSnapshotId=rs-" + requested)).containsExactly(requested);

        Api.Response firstPage = Api.as("alice").get(query, "/v1/replacements?sort=id,desc&size=2&page=0");
        Api.Response secondPage = Api.as("alice").get(query, "/v1/replacements?sort=id,desc&size=2&page=1");
        List<String> first = names(firstPage);
        List<String> second = names(secondPage);
        assertThat(first).hasSize(2).isSortedAccordingTo((a, b) -> b.compareTo(a));
        assertThat(second).isNotEmpty();
        assertThat(first.get(1).compareTo(second.get(0))).isPositive();
        long total = firstPage.json().get("totalItems").asLong();
        assertThat(total).isGreaterThanOrEqualTo(3);
        assertThat(firstPage.json().get("totalPages").asLong()).isEqualTo((total + 1) / 2);
        List<String> byState = names(Api.as("alice").get(query, "/v1/replacements?sort=state&size=500"));
        assertThat(byState).hasSize((int) Math.min(total, 500));
    }

    @Test
    void aVersionNeverReachedIsReportedNotFaked() {
        String id = Replacements.requested(command);
        seen(id, 0);

        Api.Response ahead = Api.as("agent").get(query, "/v1/replacements/" + id + "?minVersion=42");

        assertThat(ahead.status()).isEqualTo(503);
        assertThat(ahead.problemType()).isEqualTo("not-yet-projected");
        assertThat(Api.as("agent").get(query, "/v1/replacements/nope-" + id).status()).isEqualTo(404);
    }

    @Test
    void badQueriesAreValidationProblems() {
        for (String bad : List.of("state=SLEEPING", "stepState=DONE", "size=0", "size=501", "page=-1",
                "sort=steps", "sort=id,up", "held=perhaps", "targetDeleted=2")) {
            Api.Response response = Api.as("alice").get(query, "/v1/replacements?" + bad);
            assertThat(response.status()).as(bad).isEqualTo(400);
            assertThat(response.problemType()).as(bad).isEqualTo("validation");
        }
        assertThat(Api.anonymous().get(query, "/v1/replacements").problemType()).isEqualTo("unauthenticated");
    }

    @Test
    void statsAndStuckIncludeReplacements() throws Exception {
        JsonNode before = Api.as("alice").get(query, "/v1/stats").json();
        String id = Replacements.requested(command);
        seen(id, transition(command, id, "begin-allocation", "s-stuck"));

        JsonNode after = Api.as("alice").get(query, "/v1/stats").json();
        assertThat(count(after.get("replacements"), "state", "ALLOCATING"))
                .isEqualTo(count(before.get("replacements"), "state", "ALLOCATING") + 1);
        assertThat(count(after.get("replacements"), "held", "true"))
                .isEqualTo(count(before.get("replacements"), "held", "true") + 1);
        assertThat(after.get("volumes")).as("volumes are counted too").isNotNull();
        assertThat(after.get("instances")).isNotNull();

        Thread.sleep(1100);
        JsonNode stuck = Api.as("bob").get(query, "/v1/stuck?olderThan=PT1S").json().get("items");
        JsonNode notYet = Api.as("bob").get(query, "/v1/stuck?olderThan=PT1H").json().get("items");
        assertThat(stuck.findValuesAsString("id")).contains(id);
        assertThat(stuck.toString()).contains("ALLOCATING");
        assertThat(notYet.findValuesAsString("id")).doesNotContain(id);
    }

    @Test
    void theAuditTrailShowsEveryTransitionAndTheStateAsOfAVersion() {
        String id = Replacements.requested(command);
        transition(command, id, "begin-allocation", "s-a");
        transition(command, id, "undo-allocation", "s-a");
        transition(command, id, "begin-allocation", "s-b");

        Api.Response history = Api.as("auditor").get(query, "/v1/audit/replacements/" + id + "/events");
        assertThat(history.status()).as(history.text()).isEqualTo(200);
        JsonNode events = history.json();
        assertThat(events.findValuesAsString("type")).containsExactly("ReplacementRequested",
                "ReplacementTransitioned", "ReplacementTransitioned", "ReplacementTransitioned");
        assertThat(events.get(1).get("payload").get("action").asString()).isEqualTo("BEGIN_ALLOCATION");
        assertThat(events.get(1).get("metadata").get("principal").asString()).isEqualTo("agent");

        JsonNode v1 = Api.as("auditor").get(query, "/v1/audit/replacements/" + id + "/state?version=1").json();
        JsonNode v2 = Api.as("admin").get(query, "/v1/audit/replacements/" + id + "/state?version=2").json();
        // the latest (a version past it does not exist yet: 404)
        JsonNode now = Api.as("auditor").get(query,
                "/v1/audit/replacements/" + id + "/state?at=" + java.time.Instant.now()).json();
        assertThat(v1.get("state").get("state").asString()).isEqualTo("ALLOCATING");
        assertThat(v1.get("state").get("operatingSagaId").asString()).isEqualTo("s-a");
        assertThat(v2.get("state").get("state").asString()).isEqualTo("REQUESTED");
        assertThat(v2.get("state").get("operatingSagaId").isNull()).isTrue();
        assertThat(now.get("version").asLong()).isEqualTo(3);
        assertThat(now.get("state").get("operatingSagaId").asString()).isEqualTo("s-b");
        assertThat(Api.as("alice").get(query, "/v1/audit/replacements/" + id + "/events").status()).isEqualTo(403);
        assertThat(Api.as("auditor").get(query, "/v1/audit/volumes/" + id + "/events").status())
                .as("a request is not a volume").isEqualTo(404);
    }

    private static Api.Response awaitVolume(String volume, Predicate<Api.Response> done) throws InterruptedException {
        Instant giveUp = Instant.now().plus(Duration.ofSeconds(10));
        Api.Response view = Api.as("alice").get(query, "/v1/volumes/" + volume);
        while (!done.test(view) && Instant.now().isBefore(giveUp)) {
            Thread.sleep(50);
            view = Api.as("alice").get(query, "/v1/volumes/" + volume);
        }
        assertThat(done.test(view)).as(view.text()).isTrue();
        return view;
    }

    private static long count(JsonNode stats, String field, String value) {
        JsonNode n = stats.get(field).get(value);
        return n == null ? 0 : n.asLong();
    }

    private static List<String> ids(String filters) {
        return names(Api.as("agent").get(query, "/v1/replacements?" + filters));
    }

    private static List<String> names(Api.Response page) {
        assertThat(page.status()).as(page.text()).isEqualTo(200);
        List<String> ids = new ArrayList<>();
        page.json().get("items").forEach(item -> ids.add(item.get("id").asString()));
        return ids;
    }
}
