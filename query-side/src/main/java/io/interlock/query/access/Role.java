package io.interlock.query.access;

/** The roles, as the query side grants them. */
public enum Role {
    MEMBER, AGENT, ADMIN, AUDITOR
}
