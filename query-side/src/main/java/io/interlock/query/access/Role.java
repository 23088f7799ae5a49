package io.interlock.query.access;

/** The roles of DESIGN §6, as the query side grants them. */
public enum Role {
    MEMBER, AGENT, ADMIN, AUDITOR
}
