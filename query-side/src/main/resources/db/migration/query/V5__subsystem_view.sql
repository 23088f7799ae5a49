-- The NVMe-oF subsystem read model. One row per subsystem, its namespaces as a JSON array (at
-- most 50, always read with the row); the counts per namespace status are columns so that
-- filters, stats and utilisation need no JSON in SQL.
create table subsystem_view (
    nqn                    varchar(255)             not null,
    node_id                varchar(64)              not null,
    tenant                 varchar(64)              not null,
    status                 varchar(16)              not null,
    dedicated              boolean                  not null,
    max_namespaces         integer                  not null,
    -- counted against max_namespaces: every namespace not IN_DELETION
    live_namespaces        integer                  not null,
    namespaces_in_creation integer                  not null,
    namespaces_online      integer                  not null,
    namespaces_in_deletion integer                  not null,
    -- [{lvolId, nsid, status, since}], in allocation order
    namespaces             text                     not null,
    -- when the longest-waiting IN_CREATION or IN_DELETION namespace entered that status
    pending_since          timestamp with time zone,
    version                bigint                   not null,
    updated_at             timestamp with time zone not null,
    fold_state             text                     not null,
    primary key (nqn)
);
create index subsystem_view_node on subsystem_view (node_id, status);
create index subsystem_view_tenant_status on subsystem_view (tenant, status);
create index subsystem_view_pending on subsystem_view (pending_since);
create index subsystem_view_updated_at on subsystem_view (updated_at);
