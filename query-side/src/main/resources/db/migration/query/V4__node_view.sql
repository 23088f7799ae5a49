-- The storage node read model. One row per node; version is the sequence number of the last
-- event applied, which is how a duplicate delivery is recognised and skipped.
create table node_view (
    node_id         varchar(64)              not null,
    tenant          varchar(64)              not null,
    max_subsystems  integer                  not null,
    -- slots held: the subsystems that exist plus any claimed for a creation still under way
    used_subsystems integer                  not null,
    -- the nqns holding a slot, as a JSON array in the order they claimed it
    subsystems      text                     not null,
    version         bigint                   not null,
    updated_at      timestamp with time zone not null,
    -- the shared fold's whole state, so the next event folds onto exactly what the aggregate saw
    fold_state      text                     not null,
    primary key (node_id)
);
create index node_view_tenant on node_view (tenant);
create index node_view_updated_at on node_view (updated_at);
