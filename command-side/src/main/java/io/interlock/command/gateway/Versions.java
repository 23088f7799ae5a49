package io.interlock.command.gateway;

import jakarta.servlet.http.HttpServletRequest;
import org.axonframework.eventsourcing.conflictresolution.ConflictResolver;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A resource's version is its last event sequence number. Responses carry it as an
 * ETag; {@code If-Match} turns it into the expected version of the command.
 */
public final class Versions {

    private static final Pattern ETAG = Pattern.compile("^(?:W/)?\"(\\d{1,18})\"$");

    private Versions() {
    }

    /** The version the caller expects, or null when it sent no {@code If-Match} (or {@code *}). */
    public static Long expected(HttpServletRequest request) {
        String ifMatch = request.getHeader("If-Match");
        if (ifMatch == null || ifMatch.isBlank() || ifMatch.trim().equals("*")) {
            return null;
        }
        Matcher m = ETAG.matcher(ifMatch.trim());
        if (!m.matches()) {
            throw new InvalidField("If-Match", "must be one quoted version, like \"3\"");
        }
        return Long.parseLong(m.group(1));
    }

    /**
     * For aggregates: answers a stale {@code If-Match} with 412 before any business rule runs, so
     * the caller learns it acted on an old view rather than why the old view's action would fail.
     * Axon itself would only compare versions at commit, after a refusal had been decided.
     */
    public static void rejectIfMovedOn(ConflictResolver conflicts) {
        conflicts.detectConflicts(unseenEvents -> !unseenEvents.isEmpty());
    }

    public static String etag(long version) {
        return "\"" + version + "\"";
    }

    public static <T> ResponseEntity<T> respond(HttpStatus status, long version, T body) {
        return ResponseEntity.status(status).eTag(etag(version)).body(body);
    }
}
