package io.interlock.command.gateway;

/** The roles */
public enum Role {
    /** acts on its own tenant's resources */
    MEMBER,
    /** the backend worker: task reports, access-rule sync, replacement transitions */
    AGENT,
    /** everything, across tenants, including resets and forced changes */
    ADMIN,
    /** reads the audit trail, changes nothing */
    AUDITOR,
    /** reads /actuator/prometheus and nothing else: the account a Prometheus scraper uses */
    METRICS;

    public String authority() {
        return "ROLE_" + name();
    }
}
