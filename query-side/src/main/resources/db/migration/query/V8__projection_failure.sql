-- A projection stopped by an event it could not write or handle: kept with the rows and the token,
-- in the same transaction, so a restart still knows that the token has moved past events this
-- projection never applied. A replay clears it.
create table projection_failure (
    projection    varchar(128)             not null,
    position      bigint                   not null,
    aggregate_id  varchar(255),
    event_type    varchar(255)             not null,
    error         varchar(2000)            not null,
    failed_at     timestamp with time zone not null,
    primary key (projection)
);
