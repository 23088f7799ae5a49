package io.interlock.command.support;

import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Short ways to bring an instance into a known state over HTTP. */
public final class Instances {

    private Instances() {
    }

    public static String newId(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Creates an instance as {@code owner} and has the agent finish spawning it: ACTIVE and idle. */
    public static String active(Replica replica, String owner) {
        String id = newId("vm");
        Api.Response created = Api.as(owner).post(replica, "/v1/instances",
                "{\"id\":\"" + id + "\",\"name\":\"test\",\"flavor\":\"m1.small\"}");
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        Api.Response spawned = Api.as("agent").post(replica,
                "/v1/instances/" + Api.ref("agent", owner, id) + "/tasks/" + created.field("taskId") + "/complete");
        assertThat(spawned.status()).as(spawned.text()).isEqualTo(200);
        assertThat(spawned.field("vmState")).isEqualTo("ACTIVE");
        return id;
    }
}
