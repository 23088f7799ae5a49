package io.interlock.command.gateway;

import io.interlock.command.support.Api;
import io.interlock.command.support.Instances;
import io.interlock.command.support.Replica;
import io.interlock.command.support.TwoReplicas;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Roles and tenancy: health is open, everything else needs the right credentials. */
class SecurityTest {

    @Test
    void healthNeedsNoCredentials() {
        Api.Response health = Api.anonymous().get(TwoReplicas.a(), "/actuator/health");

        assertThat(health.status()).isEqualTo(200);
        assertThat(health.text()).contains("UP");
    }

    @Test
    void otherActuatorEndpointsAreClosed() {
        assertThat(Api.anonymous().get(TwoReplicas.a(), "/actuator/env").status()).isEqualTo(401);
        assertThat(Api.as("alice").get(TwoReplicas.a(), "/actuator/env").status()).isIn(403, 404);
    }

    @Test
    void aMemberCreatesInItsOwnTenantWhateverItAsksFor() {
        Api.Response created = Api.as("alice").post(TwoReplicas.a(), "/v1/instances",
                "{\"name\":\"x\",\"flavor\":\"m1\",\"tenant\":\"globex\"}");

        assertThat(created.status()).isEqualTo(201);
        assertThat(created.field("tenant")).isEqualTo("acme");
    }

    @Test
    void anAdminActsAcrossTenantsAndMayResetState() {
        Replica a = TwoReplicas.a();
        String id = Instances.active(a, "alice");

        Api.Response reset = Api.as("admin").post(TwoReplicas.b(), "/v1/instances/acme:" + id + "/actions/reset-state",
                "{\"vmState\":\"ERROR\"}");

        assertThat(reset.status()).as(reset.text()).isEqualTo(200);
        assertThat(reset.field("vmState")).isEqualTo("ERROR");
    }

    @Test
    void theAgentReportsOnAnyTenantsTasks() {
        Replica a = TwoReplicas.a();
        String id = Instances.active(a, "bob");
        Api.Response stopping = Api.as("bob").post(a, "/v1/instances/" + id + "/actions/stop", "{}");

        Api.Response stopped = Api.as("agent").post(a,
                "/v1/instances/globex:" + id + "/tasks/" + stopping.field("taskId") + "/complete");

        assertThat(stopped.status()).isEqualTo(200);
        assertThat(stopped.field("vmState")).isEqualTo("STOPPED");
    }
}
