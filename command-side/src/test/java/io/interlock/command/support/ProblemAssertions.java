package io.interlock.command.support;

import static org.assertj.core.api.Assertions.assertThat;

/** The shape every problem response must have. */
public final class ProblemAssertions {

    private ProblemAssertions() {
    }

    public static void assertProblem(Api.Response response, int status, String type) {
        assertThat(response.status()).as(response.text()).isEqualTo(status);
        assertThat(response.header("content-type")).startsWith("application/problem+json");
        assertThat(response.problemType()).isEqualTo(type);
        assertThat(response.field("title")).isNotBlank();
        assertThat(response.json().get("status").asInt()).isEqualTo(status);
    }
}
