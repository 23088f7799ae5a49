-- The instance read model. One row per instance; the row's version is the sequence number of the
-- last event applied, which is how a duplicate delivery is recognised and skipped.
create table instance_view (
    instance_id       varchar(64)              not null,
    tenant            varchar(64)              not null,
    name              varchar(255),
    flavor            varchar(255),
    vm_state          varchar(32)              not null,
    task_state        varchar(32),
    task_id           varchar(64),
    task_action       varchar(32),
    task_started_at   timestamp with time zone,
    previous_vm_state varchar(32),
    locked            boolean                  not null,
    allowed_actions   varchar(1024)            not null,
    version           bigint                   not null,
    updated_at        timestamp with time zone not null,
    -- the shared fold's whole state, so the next event folds onto exactly what the aggregate saw
    fold_state        text                     not null,
    primary key (instance_id)
);
create index instance_view_tenant_vm_state on instance_view (tenant, vm_state);
create index instance_view_vm_state on instance_view (vm_state);
create index instance_view_task on instance_view (task_state, task_started_at);
create index instance_view_updated_at on instance_view (updated_at);
