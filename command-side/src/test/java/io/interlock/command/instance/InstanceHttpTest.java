package io.interlock.command.instance;

import io.interlock.command.support.Api;
import io.interlock.command.support.EventStore;
import io.interlock.command.support.Instances;
import io.interlock.command.support.TwoReplicaTest;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The instance API end to end: HTTP in, events in PostgreSQL out. */
class InstanceHttpTest extends TwoReplicaTest {

    @Test
    void aShelveCycleRunsThroughTaskReportsAndEveryAnswerCarriesItsVersion() {
        String id = Instances.active(a, "alice");

        Api.Response shelving = Api.as("alice").post(a, "/v1/instances/" + id + "/actions/shelve",
                "{\"offload\":true}");
        assertThat(shelving.status()).isEqualTo(202);
        assertThat(shelving.field("taskState")).isEqualTo("SHELVING");
        assertThat(shelving.header("etag")).isEqualTo("\"" + shelving.field("version") + "\"");

        Api.Response shelved = Api.as("agent").post(b,
                "/v1/instances/acme:" + id + "/tasks/" + shelving.field("taskId") + "/complete", "{\"result\":\"ok\"}");
        assertThat(shelved.status()).isEqualTo(200);
        assertThat(shelved.field("vmState")).isEqualTo("SHELVED_OFFLOADED");
        assertThat(shelved.field("taskState")).isNull();

        Api.Response unshelving = Api.as("alice").header("If-Match", shelved.header("etag"))
                .post(b, "/v1/instances/" + id + "/actions/unshelve", "{}");
        assertThat(unshelving.status()).as(unshelving.text()).isEqualTo(202);
        assertThat(Long.parseLong(unshelving.field("version"))).isEqualTo(Long.parseLong(shelved.field("version")) + 1);
    }

    @Test
    void aRepeatedReportOfTheSameOutcomeIsAnsweredWithoutANewEvent() {
        String id = Instances.active(a, "alice");
        Api.Response stopping = Api.as("alice").post(a, "/v1/instances/" + id + "/actions/stop", "{}");
        String report = "/v1/instances/acme:" + id + "/tasks/" + stopping.field("taskId") + "/fail";

        Api.Response failed = Api.as("agent").post(a, report, "{\"reason\":\"hypervisor busy\"}");
        int after = EventStore.history(SCHEMA, id).size();
        Api.Response again = Api.as("agent").post(b, report, "{\"reason\":\"hypervisor busy\"}");

        assertThat(failed.status()).isEqualTo(200);
        assertThat(failed.field("vmState")).isEqualTo("ACTIVE");
        assertThat(again.status()).isEqualTo(200);
        assertThat(EventStore.history(SCHEMA, id)).hasSize(after);
        Api.Response contradiction = Api.as("agent").post(b,
                "/v1/instances/acme:" + id + "/tasks/" + stopping.field("taskId") + "/complete");
        assertThat(contradiction.status()).isEqualTo(409);
        assertThat(contradiction.problemType()).isEqualTo("stale-task");
    }

    @Test
    void deleteRepeatedWhileDeletingIsAcceptedAndAddsNothing() {
        String id = Instances.active(a, "alice");

        Api.Response deleting = Api.as("alice").delete(a, "/v1/instances/" + id);
        int after = EventStore.history(SCHEMA, id).size();
        Api.Response again = Api.as("alice").delete(b, "/v1/instances/" + id);

        assertThat(deleting.status()).isEqualTo(202);
        assertThat(again.status()).isEqualTo(202);
        assertThat(again.field("taskId")).isEqualTo(deleting.field("taskId"));
        assertThat(EventStore.history(SCHEMA, id)).hasSize(after);
    }

    @Test
    void everyEventRecordsWhoAskedAndHow() {
        String id = Instances.newId("vm");
        Api.Response created = Api.as("alice").header("Idempotency-Key", "audit-" + id)
                .header("X-Correlation-Id", "corr-" + id)
                .post(a, "/v1/instances", "{\"id\":\"" + id + "\",\"name\":\"audited\",\"flavor\":\"m1\"}");
        assertThat(created.status()).isEqualTo(201);

        String metadata = EventStore.history(SCHEMA, id).get(0).metadata();

        assertThat(metadata).contains("\"principal\":\"alice\"", "\"correlationId\":\"corr-" + id + "\"",
                "\"idempotencyKey\":\"audit-" + id + "\"", "\"clientAddress\":\"127.0.0.1\"", "\"traceId\"");
    }

    /**
     * With Hibernate's default block allocation each replica would hand out its own range of
     * global_index values, so a later event could get a lower index than an earlier one.
     */
    @Test
    void globalIndexFollowsCommitOrderAcrossReplicas() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            String id = Instances.newId("gi");
            Api.as("alice").post(i % 2 == 0 ? a : b, "/v1/instances",
                    "{\"id\":\"" + id + "\",\"name\":\"n\",\"flavor\":\"m1\"}");
            ids.add(id);
        }

        List<Long> indexes = ids.stream().map(id -> EventStore.history(SCHEMA, id).get(0).globalIndex()).toList();

        assertThat(indexes).isSorted().doesNotHaveDuplicates();
        assertThat(indexes.get(indexes.size() - 1) - indexes.get(0)).isLessThan(50);
    }

    @Test
    void payloadsAreStoredAsReadableByteaNotLargeObjects() {
        String id = Instances.active(a, "alice");

        assertThat(EventStore.count(SCHEMA, "select count(*) from information_schema.columns where table_schema = ? "
                + "and table_name = 'domain_event_entry' and column_name in ('payload', 'meta_data') "
                + "and data_type = 'bytea'", SCHEMA)).isEqualTo(2);
        assertThat(EventStore.history(SCHEMA, id).get(0).payload()).contains("\"instanceId\":\"acme:" + id + "\"");
    }
}
