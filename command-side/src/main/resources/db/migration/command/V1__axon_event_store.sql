-- Axon's JPA storage: events, snapshots, tokens, sagas, dead letters.
-- Payloads and metadata are bytea (see ByteaLobTypeContributor), never large objects.

-- One number at a time, so global_index follows commit order closely across replicas
-- (see META-INF/axon-orm.xml).
create sequence domain_event_entry_global_index_seq start with 1 increment by 1;

create table domain_event_entry (
    global_index         bigint       not null,
    aggregate_identifier varchar(255) not null,
    sequence_number      bigint       not null,
    type                 varchar(255),
    event_identifier     varchar(255) not null,
    payload_type         varchar(255) not null,
    payload_revision     varchar(255),
    payload              bytea        not null,
    meta_data            bytea,
    time_stamp           varchar(255) not null,
    primary key (global_index),
    -- the final arbiter between racing writers
    constraint domain_event_entry_aggregate_sequence unique (aggregate_identifier, sequence_number),
    constraint domain_event_entry_event_identifier unique (event_identifier)
);

create table snapshot_event_entry (
    aggregate_identifier varchar(255) not null,
    sequence_number      bigint       not null,
    type                 varchar(255) not null,
    event_identifier     varchar(255) not null,
    payload_type         varchar(255) not null,
    payload_revision     varchar(255),
    payload              bytea        not null,
    meta_data            bytea,
    time_stamp           varchar(255) not null,
    primary key (aggregate_identifier, sequence_number, type),
    constraint snapshot_event_entry_event_identifier unique (event_identifier)
);

create table token_entry (
    processor_name varchar(255) not null,
    segment        integer      not null,
    token          bytea,
    token_type     varchar(255),
    owner          varchar(255),
    timestamp      varchar(255) not null,
    primary key (processor_name, segment)
);

create table saga_entry (
    saga_id         varchar(255) not null,
    saga_type       varchar(255),
    revision        varchar(255),
    serialized_saga bytea,
    primary key (saga_id)
);

-- Hibernate's pooled generator for this entity expects steps of 50.
create sequence association_value_entry_seq start with 1 increment by 50;

create table association_value_entry (
    id                bigint       not null,
    association_key   varchar(255) not null,
    association_value varchar(255),
    saga_id           varchar(255) not null,
    saga_type         varchar(255),
    primary key (id)
);
create index association_value_entry_lookup on association_value_entry (saga_type, association_key, association_value);
create index association_value_entry_saga on association_value_entry (saga_id, saga_type);

create table dead_letter_entry (
    dead_letter_id       varchar(255) not null,
    processing_group     varchar(255) not null,
    sequence_identifier  varchar(255) not null,
    sequence_index       bigint       not null,
    message_type         varchar(255) not null,
    event_identifier     varchar(255) not null,
    time_stamp           varchar(255) not null,
    payload_type         varchar(255) not null,
    payload_revision     varchar(255),
    payload              bytea        not null,
    meta_data            bytea,
    type                 varchar(255),
    aggregate_identifier varchar(255),
    sequence_number      bigint,
    token_type           varchar(255),
    token                bytea,
    enqueued_at          timestamp(6) with time zone not null,
    last_touched         timestamp(6) with time zone,
    processing_started   timestamp(6) with time zone,
    cause_type           varchar(255),
    cause_message        varchar(1023),
    diagnostics          bytea,
    primary key (dead_letter_id),
    constraint dead_letter_entry_sequence unique (processing_group, sequence_identifier, sequence_index)
);
create index dead_letter_entry_group on dead_letter_entry (processing_group);
create index dead_letter_entry_group_sequence on dead_letter_entry (processing_group, sequence_identifier);
