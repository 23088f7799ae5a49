package io.interlock.query.overview;

import io.interlock.command.support.Api;
import io.interlock.query.support.Stack;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dashboard's page, script and style are open (they hold no data: the page signs in with its
 * own form), and every figure it shows comes from the API, which is not.
 */
class DashboardTest {

    @Test
    void thePageIsOpenAndItsDataIsNot() {
        Api.Response page = Api.anonymous().get(Stack.query(), "/");
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.header("content-type")).startsWith("text/html");
        assertThat(page.text()).contains("Interlock dashboard", "signInForm", "/dashboard/dashboard.js");
        Api.Response script = Api.anonymous().get(Stack.query(), "/dashboard/dashboard.js");
        assertThat(script.status()).isEqualTo(200);
        assertThat(script.text()).contains("/v1/stats", "/v1/stuck", "/v1/stream", "/v1/admin/projections",
                "/v1/utilisation", "/v1/lifecycles", "/v1/me", "sessionStorage");
        assertThat(Api.anonymous().get(Stack.query(), "/dashboard/dashboard.css").status()).isEqualTo(200);

        Api.Response data = Api.anonymous().get(Stack.query(), "/v1/stats");
        assertThat(data.status()).isEqualTo(401);
        // a browser opening an API URL is asked who it is; the page's own requests are not challenged,
        // so that a wrong password shows on its form instead of in the browser's dialog
        assertThat(data.header("www-authenticate")).isEqualTo("Basic realm=\"interlock\"");
        Api.Response fromThePage = Api.anonymous().header("X-Requested-With", "XMLHttpRequest")
                .get(Stack.query(), "/v1/stats");
        assertThat(fromThePage.status()).isEqualTo(401);
        assertThat(fromThePage.header("www-authenticate")).isNull();
    }

    @Test
    void theReaderIsToldWhoTheyAre() {
        Api.Response alice = Api.as("alice").get(Stack.query(), "/v1/me");
        assertThat(alice.status()).isEqualTo(200);
        assertThat(alice.json().toString()).isEqualTo("{\"name\":\"alice\",\"roles\":[\"member\"],\"tenant\":\"acme\"}");
        assertThat(Api.as("admin").get(Stack.query(), "/v1/me").json().path("roles").toString()).isEqualTo("[\"admin\"]");
    }

    @Test
    void theLifecyclesComeFromTheTransitionTables() {
        var lifecycles = Api.as("alice").get(Stack.query(), "/v1/lifecycles").json();
        var instances = lifecycles.path("instances");
        assertThat(instances.path("primary").asString()).isEqualTo("vmState");
        assertThat(instances.path("fields").path("vmState").path("ERROR").asString()).isEqualTo("error");
        assertThat(instances.path("fields").path("vmState").path("ACTIVE").asString()).isEqualTo("stable");
        assertThat(instances.path("fields").path("taskState").path("SHELVING").asString()).isEqualTo("transitional");
        assertThat(lifecycles.path("shares").path("fields").path("status").path("EXTENDING").asString())
                .isEqualTo("transitional");
        assertThat(lifecycles.path("replacements").path("fields").path("state").path("ALLOCATING").asString())
                .isEqualTo("transitional");
        assertThat(lifecycles.path("replacements").path("fields").path("state").path("RUNNING").asString())
                .isEqualTo("stable");
        assertThat(lifecycles.path("subsystems").path("fields").path("namespaceStatus").path("IN_DELETION").asString())
                .isEqualTo("transitional");
        // the diagram is the one the docs draw: ACTIVE -> SHELVED by shelve
        assertThat(instances.path("diagram").path("transitions").toString())
                .contains("{\"from\":\"ACTIVE\",\"to\":\"SHELVED\",\"failure\":false,\"labels\":[\"shelve (SHELVING)\"]}");
        assertThat(lifecycles.path("volumes").path("diagram").path("transitions").toString())
                .contains("\"from\":\"SOFT_DELETED\",\"to\":\"HARD_DELETED\"");
    }
}
