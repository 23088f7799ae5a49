-- The volume read model: deletion status and repair lock. Volumes have no tenant;
-- the row's version is the sequence number of the last event applied, so a redelivery is skipped.
create table volume_view (
    volume_id        varchar(64)              not null,
    deletion_status  varchar(32)              not null,
    -- replacement/<id> or replacement/<id>/steps/<volumeId>, or null when the lock is free
    lock_holder      varchar(255),
    locked_since     timestamp with time zone,
    allowed_actions  varchar(1024)            not null,
    version          bigint                   not null,
    updated_at       timestamp with time zone not null,
    -- the shared fold's whole state, so the next event folds onto exactly what the aggregate saw
    fold_state       text                     not null,
    primary key (volume_id)
);
create index volume_view_deletion_status on volume_view (deletion_status);
create index volume_view_lock_holder on volume_view (lock_holder);
create index volume_view_updated_at on volume_view (updated_at);
