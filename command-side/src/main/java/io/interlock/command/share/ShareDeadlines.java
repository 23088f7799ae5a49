package io.interlock.command.share;

/** The payloads of a share's durable deadlines. */
public final class ShareDeadlines {

    static final String TASK = "share-task-timeout";
    static final String LEASE = "share-snapshot-lease-expiry";
    static final String SYNC = "share-access-sync-timeout";

    private ShareDeadlines() {
    }

    /** Which task, and how long it was given. */
    public record TaskTimeout(String taskId, String timeout) {
    }

    /** Which lease; a lease released and taken again by the same owner has a new id, so an old expiry misses it. */
    public record LeaseExpiry(String snapshotId, String owner, String leaseId) {
    }

    public record SyncTimeout(String syncId, String timeout) {
    }
}
