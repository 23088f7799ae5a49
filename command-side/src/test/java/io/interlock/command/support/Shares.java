package io.interlock.command.support;

import static org.assertj.core.api.Assertions.assertThat;

/** Short ways to bring a share into a known state over HTTP. */
public final class Shares {

    private Shares() {
    }

    /** Creates a share as {@code owner} and has the agent finish creating it: AVAILABLE and idle. */
    public static String available(Endpoint replica, String owner) {
        String id = Instances.newId("share");
        Api.Response created = Api.as(owner).post(replica, "/v1/shares",
                "{\"id\":\"" + id + "\",\"size\":10,\"protocol\":\"NFS\"}");
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        complete(replica, Api.ref("agent", owner, id), created.field("taskId"));
        return id;
    }

    /** Has the share take a snapshot, and the agent finish it: the share AVAILABLE, the snapshot AVAILABLE. */
    public static String snapshot(Endpoint replica, String owner, String shareId) {
        String snapshotId = Instances.newId("snap");
        Api.Response started = Api.as(owner).post(replica, "/v1/shares/" + shareId + "/snapshots",
                "{\"snapshotId\":\"" + snapshotId + "\",\"name\":\"nightly\"}");
        assertThat(started.status()).as(started.text()).isEqualTo(202);
        assertThat(started.field("status")).isEqualTo("SNAPSHOTTING");
        complete(replica, Api.ref("agent", owner, shareId), started.field("taskId"));
        return snapshotId;
    }

    /** The agent completes a task; {@code shareId} as the agent writes it, {@code <tenant>:<id>}. */
    public static Api.Response complete(Endpoint replica, String shareId, String taskId) {
        Api.Response done = Api.as("agent").post(replica, "/v1/shares/" + shareId + "/tasks/" + taskId + "/complete");
        assertThat(done.status()).as(done.text()).isEqualTo(200);
        return done;
    }

    /** The status of one snapshot in a share answer. */
    public static String snapshotStatus(Api.Response share, String snapshotId) {
        for (var snapshot : share.json().get("snapshots")) {
            if (snapshot.get("id").asString().equals(snapshotId)) {
                return snapshot.get("status").asString();
            }
        }
        return null;
    }

    /** Who holds read leases on one snapshot, as the share answer lists them. */
    public static java.util.List<String> leaseOwners(Api.Response share, String snapshotId) {
        java.util.List<String> owners = new java.util.ArrayList<>();
        for (var snapshot : share.json().get("snapshots")) {
            if (snapshot.get("id").asString().equals(snapshotId)) {
                snapshot.get("leaseOwners").forEach(o -> owners.add(o.asString()));
            }
        }
        return owners;
    }
}
