package io.interlock.command.store;

import org.hibernate.boot.model.TypeContributions;
import org.hibernate.boot.model.TypeContributor;
import org.hibernate.service.ServiceRegistry;
import org.hibernate.type.SqlTypes;
import org.hibernate.type.descriptor.jdbc.BinaryJdbcType;

/**
 * Axon's entries map payloads, metadata, tokens and sagas as {@code @Lob byte[]}. On PostgreSQL
 * Hibernate would store those as large objects ({@code oid}), which leak, cannot be read with
 * plain SQL and break replication tools. Binding every BLOB as plain bytes makes them
 * {@code bytea} columns (the Flyway schema declares them so) on PostgreSQL and H2 alike.
 * Registered through {@code META-INF/services}, after the dialect's own contributions.
 */
public class ByteaLobTypeContributor implements TypeContributor {

    @Override
    public void contribute(TypeContributions contributions, ServiceRegistry serviceRegistry) {
        contributions.getTypeConfiguration().getJdbcTypeRegistry().addDescriptor(SqlTypes.BLOB, BinaryJdbcType.INSTANCE);
    }
}
