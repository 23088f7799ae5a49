package io.interlock.query.overview;

import io.interlock.command.support.Api;
import io.interlock.query.support.Stack;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The dashboard page is served to any signed-in role, and only to them. */
class DashboardTest {

    @Test
    void theDashboardNeedsCredentialsAndUsesTheQueryApi() {
        Api.Response page = Api.as("alice").get(Stack.query(), "/");

        assertThat(page.status()).isEqualTo(200);
        assertThat(page.header("content-type")).startsWith("text/html");
        assertThat(page.text()).contains("Interlock dashboard", "/v1/stats", "/v1/stuck", "/v1/stream",
                "/v1/admin/projections");
        Api.Response anonymous = Api.anonymous().get(Stack.query(), "/");
        assertThat(anonymous.status()).isEqualTo(401);
        // without the challenge a browser shows the problem body instead of asking who you are
        assertThat(anonymous.header("www-authenticate")).isEqualTo("Basic realm=\"interlock\"");
    }
}
