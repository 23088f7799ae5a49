package io.interlock.query.volume;

import io.interlock.command.support.Api;
import io.interlock.command.support.Replacements;
import io.interlock.command.support.Replica;
import io.interlock.query.support.QueryApp;
import io.interlock.query.support.Stack;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The volume query API over HTTP, fed by a real command side through the event store. */
class VolumeQueryTest {

    private static Replica command;
    private static QueryApp query;

    @BeforeAll
    static void stack() {
        command = Stack.command();
        query = Stack.query();
    }

    private static Api.Response seen(String user, String id, long version) {
        Api.Response view = Api.as(user).get(query, "/v1/volumes/" + id + "?minVersion=" + version);
        assertThat(view.status()).as(view.text()).isEqualTo(200);
        return view;
    }

    @Test
    void theLockHolderAndDeletionStatusShowUpAsTheyChange() {
        String volume = Replacements.volume(command);
        Api.Response fresh = seen("alice", volume, 0);
        assertThat(fresh.field("deletionStatus")).isEqualTo("ACTIVE");
        assertThat(fresh.field("lockHolder")).isNull();
        assertThat(fresh.field("locked")).isEqualTo("false");
        assertThat(fresh.json().get("allowedActions").toString()).isEqualTo("[\"delete\"]");

        String request = Api.as("alice").post(command, "/v1/replacements", "{\"regionSnapshotId\":\"rs-q\","
                + "\"snapshotVolumeId\":\"" + volume + "\"}").field("id");
        Api.Response locked = seen("alice", volume, 1);
        assertThat(locked.field("lockHolder")).isEqualTo("replacement/" + request);
        assertThat(locked.field("locked")).isEqualTo("true");
        assertThat(locked.field("lockedSince")).isNotNull();

        Api.Response deleted = Api.as("alice").post(command, "/v1/volumes/" + volume + "/delete", "{\"hard\":false}");
        long version = Long.parseLong(deleted.field("version"));
        Api.Response view = Api.as("bob").get(query, "/v1/volumes/" + volume + "?minVersion=" + version);

        assertThat(view.status()).isEqualTo(200);
        assertThat(view.header("etag")).isEqualTo("\"" + version + "\"");
        assertThat(view.field("deletionStatus")).isEqualTo("SOFT_DELETED");
        // the request still holds it: only finishing (or an unwind) gives a request's lock back
        assertThat(view.field("lockHolder")).isEqualTo("replacement/" + request);
        assertThat(view.field("version")).isEqualTo(String.valueOf(version));
    }

    @Test
    void aVersionNeverReachedIsReportedNotFakedAndAnUnknownVolumeIsNotFound() {
        String volume = Replacements.volume(command);
        seen("alice", volume, 0);

        Api.Response ahead = Api.as("alice").get(query, "/v1/volumes/" + volume + "?minVersion=99");
        assertThat(ahead.status()).isEqualTo(503);
        assertThat(ahead.problemType()).isEqualTo("not-yet-projected");
        assertThat(ahead.field("retryable")).isEqualTo("true");
        Api.Response missing = Api.as("alice").get(query, "/v1/volumes/nope-" + volume);
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.problemType()).isEqualTo("not-found");
    }

    @Test
    void filtersPagingAndSorting() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            ids.add(Replacements.volume(command));
        }
        Api.Response created = Replacements.create(command, "rr-vq-" + ids.get(0), ids.get(0));
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        Api.as("alice").post(command, "/v1/volumes/" + ids.get(1) + "/delete", "{\"hard\":true}");
        seen("alice", ids.get(0), 1);
        seen("alice", ids.get(1), 1);
        seen("alice", ids.get(3), 0);

        Api.Response hard = Api.as("agent").get(query, "/v1/volumes?deletionStatus=HARD_DELETED,SOFT_DELETED&size=500");
        assertThat(ids(hard)).contains(ids.get(1)).doesNotContain(ids.get(0), ids.get(2));
        assertThat(hard.json().get("items").findValuesAsString("deletionStatus")).doesNotContain("ACTIVE");

        assertThat(ids(Api.as("alice").get(query, "/v1/volumes?locked=true&size=500")))
                .contains(ids.get(0)).doesNotContain(ids.get(1), ids.get(2));
        assertThat(ids(Api.as("alice").get(query, "/v1/volumes?lockHolder=replacement%2Frr-vq-" + ids.get(0))))
                .containsExactly(ids.get(0));
        assertThat(ids(Api.as("alice").get(query, "/v1/volumes?deletionStatus=ACTIVE&locked=false&size=500")))
                .contains(ids.get(2), ids.get(3)).doesNotContain(ids.get(0), ids.get(1));

        Api.Response firstPage = Api.as("alice").get(query, "/v1/volumes?sort=id,desc&size=2&page=0");
        Api.Response secondPage = Api.as("alice").get(query, "/v1/volumes?sort=id,desc&size=2&page=1");
        List<String> first = ids(firstPage);
        List<String> second = ids(secondPage);
        assertThat(first).hasSize(2).isSortedAccordingTo((a, b) -> b.compareTo(a));
        assertThat(second).hasSize(2);
        assertThat(first.get(1).compareTo(second.get(0))).isPositive();
        long total = firstPage.json().get("totalItems").asLong();
        assertThat(total).isGreaterThanOrEqualTo(4);
        assertThat(firstPage.json().get("totalPages").asLong()).isEqualTo((total + 1) / 2);
    }

    @Test
    void badQueriesAreValidationProblems() {
        for (String bad : List.of("deletionStatus=GONE", "size=0", "size=501", "page=-1", "sort=fold_state",
                "sort=id,sideways", "locked=maybe")) {
            Api.Response response = Api.as("alice").get(query, "/v1/volumes?" + bad);
            assertThat(response.status()).as(bad).isEqualTo(400);
            assertThat(response.problemType()).as(bad).isEqualTo("validation");
        }
        assertThat(Api.anonymous().get(query, "/v1/volumes").problemType()).isEqualTo("unauthenticated");
    }

    @Test
    void statsCountVolumesForEveryRole() {
        JsonNode before = Api.as("alice").get(query, "/v1/stats").json().get("volumes");
        String volume = Replacements.volume(command);
        Api.as("alice").post(command, "/v1/volumes/" + volume + "/delete", "{\"hard\":false}");
        seen("alice", volume, 1);

        JsonNode after = Api.as("bob").get(query, "/v1/stats").json().get("volumes");

        assertThat(count(after, "deletionStatus", "SOFT_DELETED"))
                .isEqualTo(count(before, "deletionStatus", "SOFT_DELETED") + 1);
        assertThat(count(after, "locked", "false")).isEqualTo(count(before, "locked", "false") + 1);
    }

    @Test
    void theAuditTrailOfAVolumeIsItsEventsAndItsFoldedState() {
        String volume = Replacements.volume(command);
        Api.as("alice").post(command, "/v1/volumes/" + volume + "/delete", "{\"hard\":false}");
        Api.as("alice").post(command, "/v1/volumes/" + volume + "/delete", "{\"hard\":true}");

        JsonNode events = Api.as("auditor").get(query, "/v1/audit/volumes/" + volume + "/events").json();
        JsonNode soft = Api.as("auditor").get(query, "/v1/audit/volumes/" + volume + "/state?version=1").json();

        assertThat(events.findValuesAsString("type")).containsExactly("VolumeRegistered", "VolumeDeleted",
                "VolumeDeleted");
        assertThat(events.get(0).get("metadata").get("principal").asString()).isEqualTo("alice");
        assertThat(soft.get("state").get("deletionStatus").asString()).isEqualTo("SOFT_DELETED");
        assertThat(Api.as("auditor").get(query, "/v1/audit/instances/" + volume + "/events").status())
                .as("a volume is not an instance").isEqualTo(404);
    }

    static long count(JsonNode stats, String field, String value) {
        JsonNode n = stats.get(field).get(value);
        return n == null ? 0 : n.asLong();
    }

    private static List<String> ids(Api.Response page) {
        assertThat(page.status()).as(page.text()).isEqualTo(200);
        return page.json().get("items").findValuesAsString("id");
    }
}
