-- The share read model. One row per share; its snapshots (with their read-lease owners) and its
-- access rules travel in the row as JSON, since they are always read with their share. The row's
-- version is the sequence number of the last event applied, which is how a duplicate delivery is
-- recognised and skipped.
create table share_view (
    share_id            varchar(64)              not null,
    tenant              varchar(64)              not null,
    size                bigint                   not null,
    protocol            varchar(32),
    status              varchar(40)              not null,
    access_rules_status varchar(16)              not null,
    export_path         varchar(1024),
    source_share_id     varchar(64),
    source_snapshot_id  varchar(64),
    task_id             varchar(64),
    task_action         varchar(32),
    task_started_at     timestamp with time zone,
    snapshots           text                     not null,
    access_rules        text                     not null,
    allowed_actions     varchar(1024)            not null,
    version             bigint                   not null,
    updated_at          timestamp with time zone not null,
    -- the shared fold's whole state, so the next event folds onto exactly what the aggregate saw
    fold_state          text                     not null,
    primary key (share_id)
);
create index share_view_tenant_status on share_view (tenant, status);
create index share_view_status on share_view (status);
create index share_view_task on share_view (task_id, task_started_at);
create index share_view_updated_at on share_view (updated_at);
