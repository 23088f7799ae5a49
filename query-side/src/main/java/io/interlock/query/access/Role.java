package io.interlock.query.access;

/** The roles, as the query side grants them. */
public enum Role {
    MEMBER, AGENT, ADMIN, AUDITOR,
    /** reads /actuator/prometheus and nothing else: the account a Prometheus scraper uses */
    METRICS
}
