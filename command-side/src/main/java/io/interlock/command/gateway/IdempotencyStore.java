package io.interlock.command.gateway;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Idempotency keys in the shared database, so a retry that lands on another replica, or after a
 * restart, still finds the first answer. Keys are scoped to the caller: two clients
 * cannot collide on, or read, each other's keys.
 */
@Repository
public class IdempotencyStore {

    public enum Status { IN_PROGRESS, DONE }

    public record Entry(String fingerprint, Status status, int responseStatus, String etag, String contentType,
                        byte[] body, Instant expiresAt) {
    }

    private final JdbcTemplate jdbc;
    private final Duration ttl;

    public IdempotencyStore(JdbcTemplate jdbc, @Value("${interlock.idempotency.ttl:PT24H}") Duration ttl) {
        this.jdbc = jdbc;
        this.ttl = ttl;
    }

    /** Claims the key for a first request; false when somebody already holds it. */
    public boolean claim(String principal, String key, String fingerprint) {
        Instant now = Instant.now();
        try {
            jdbc.update("insert into idempotency_key (principal, idem_key, fingerprint, status, created_at, expires_at) "
                            + "values (?, ?, ?, 'IN_PROGRESS', ?, ?)",
                    principal, key, fingerprint, Timestamp.from(now), Timestamp.from(now.plus(ttl)));
            return true;
        } catch (DuplicateKeyException taken) {
            return false;
        }
    }

    public Optional<Entry> find(String principal, String key) {
        List<Entry> rows = jdbc.query("select fingerprint, status, response_status, response_etag, "
                        + "response_content_type, response_body, expires_at from idempotency_key "
                        + "where principal = ? and idem_key = ?",
                (rs, n) -> new Entry(rs.getString(1), Status.valueOf(rs.getString(2)), rs.getInt(3), rs.getString(4),
                        rs.getString(5), rs.getBytes(6), rs.getTimestamp(7).toInstant()),
                principal, key);
        return rows.stream().findFirst();
    }

    public void complete(String principal, String key, int status, String etag, String contentType, byte[] body) {
        jdbc.update("update idempotency_key set status = 'DONE', response_status = ?, response_etag = ?, "
                        + "response_content_type = ?, response_body = ? where principal = ? and idem_key = ?",
                status, etag, contentType, body, principal, key);
    }

    /** Forgets a claim whose request failed unexpectedly, so the client's retry runs afresh. */
    public void release(String principal, String key) {
        jdbc.update("delete from idempotency_key where principal = ? and idem_key = ? and status = 'IN_PROGRESS'",
                principal, key);
    }

    /**
     * Forgets a claim whose request has been running longer than {@code lease}: its process died
     * (or hangs), and without this the key would answer "in progress" until it expired a day later.
     * The retry that takes the key over runs afresh and gets the business answer for the state the
     * first attempt left behind.
     */
    public void forgetAbandoned(String principal, String key, Duration lease) {
        jdbc.update("delete from idempotency_key where principal = ? and idem_key = ? and status = 'IN_PROGRESS' "
                + "and created_at < ?", principal, key, Timestamp.from(Instant.now().minus(lease)));
    }

    public void forgetIfExpired(String principal, String key) {
        jdbc.update("delete from idempotency_key where principal = ? and idem_key = ? and expires_at < ?",
                principal, key, Timestamp.from(Instant.now()));
    }

    /** Deletes every expired key; run by {@link IdempotencySweep} on one replica at a time. */
    public int sweepExpired() {
        return jdbc.update("delete from idempotency_key where expires_at < ?", Timestamp.from(Instant.now()));
    }
}
