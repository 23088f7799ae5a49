package io.interlock.share;

/** Read-write or read-only access. */
public enum AccessLevel {
    RW, RO
}
