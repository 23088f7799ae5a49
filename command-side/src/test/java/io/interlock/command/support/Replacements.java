package io.interlock.command.support;

import static org.assertj.core.api.Assertions.assertThat;

/** Short ways to bring volumes and replacement requests into a known state over HTTP. */
public final class Replacements {

    private Replacements() {
    }

    public static String volume(Replica replica) {
        String id = Instances.newId("vol");
        Api.Response registered = Api.as("alice").post(replica, "/v1/volumes", "{\"volumeId\":\"" + id + "\"}");
        assertThat(registered.status()).as(registered.text()).isEqualTo(201);
        return id;
    }

    public static Api.Response create(Replica replica, String id, String snapshotVolumeId) {
        return Api.as("alice").post(replica, "/v1/replacements", "{\"id\":\"" + id
                + "\",\"regionSnapshotId\":\"rs-" + id + "\",\"snapshotVolumeId\":\"" + snapshotVolumeId + "\"}");
    }

    /** A new REQUESTED request holding the repair lock on a fresh snapshot volume. */
    public static String requested(Replica replica) {
        String id = Instances.newId("rr");
        Api.Response created = create(replica, id, volume(replica));
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        return id;
    }

    public static Api.Response transition(Replica replica, String id, String transition, String sagaId) {
        String extra = transition.equals("finish-allocation")
                ? ",\"newRegionId\":\"region-new\",\"newRegionVolumeId\":\"vol-new\",\"oldSnapshotVolumeId\":\"vol-old\""
                : "";
        return Api.as("agent").post(replica, "/v1/replacements/" + id + "/transitions/" + transition,
                "{\"sagaId\":\"" + sagaId + "\"" + extra + "}");
    }

    public static Api.Response step(Replica replica, String id, String volumeId, String transition, String sagaId) {
        return Api.as("agent").post(replica, "/v1/replacements/" + id + "/steps/" + volumeId + "/transitions/"
                + transition, "{\"sagaId\":\"" + sagaId + "\"}");
    }

    public static Api.Response addStep(Replica replica, String id, String volumeId) {
        return Api.as("agent").post(replica, "/v1/replacements/" + id + "/steps", "{\"volumeId\":\"" + volumeId + "\"}");
    }

    /** Drives a request from REQUESTED to RUNNING with one saga. */
    public static void running(Replica replica, String id, String sagaId) {
        for (String t : new String[]{"begin-allocation", "finish-allocation", "begin-old-volume-deletion",
                "finish-old-volume-deletion"}) {
            Api.Response r = transition(replica, id, t, sagaId);
            assertThat(r.status()).as(t + ": " + r.text()).isEqualTo(200);
        }
    }

    /** The step for {@code volumeId} in an answer's steps list, or null. */
    public static String stepState(Api.Response response, String volumeId) {
        for (var step : response.json().get("steps")) {
            if (step.get("volumeId").asString().equals(volumeId)) {
                return step.get("state").asString();
            }
        }
        return null;
    }
}
