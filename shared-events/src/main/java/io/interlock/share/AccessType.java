package io.interlock.share;

/** What an access rule's {@code accessTo} names. */
public enum AccessType {
    IP, USER, CERT
}
