-- The replacement request read model, steps included. Requests have no tenant.
-- Steps live in the row as JSON (they are read with their request, never on their own);
-- step_states lists the distinct step states as ",REQUESTED,RUNNING," so a list can filter on them.
create table replacement_view (
    request_id             varchar(64)              not null,
    state                  varchar(32)              not null,
    operating_saga_id      varchar(255),
    region_snapshot_id     varchar(255)             not null,
    snapshot_volume_id     varchar(64)              not null,
    new_region_id          varchar(255),
    new_region_volume_id   varchar(255),
    old_snapshot_volume_id varchar(255),
    target_deleted         boolean                  not null,
    steps                  text                     not null,
    step_states            varchar(128)             not null,
    allowed_actions        varchar(1024)            not null,
    state_entered_at       timestamp with time zone not null,
    version                bigint                   not null,
    updated_at             timestamp with time zone not null,
    -- the shared fold's whole state, so the next event folds onto exactly what the aggregate saw
    fold_state             text                     not null,
    primary key (request_id)
);
create index replacement_view_state on replacement_view (state, state_entered_at);
create index replacement_view_operating_saga on replacement_view (operating_saga_id);
create index replacement_view_updated_at on replacement_view (updated_at);
