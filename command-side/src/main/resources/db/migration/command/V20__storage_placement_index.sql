-- The placement index (process/PlacementIndex): a command-side lookup table, kept by a
-- subscribing event handler in the same transaction as the node and subsystem events. It only
-- suggests candidates; the node and subsystem aggregates decide.

-- One row per subsystem slot a node holds. created is false while the slot is claimed and the
-- subsystem not created yet. An nqn may briefly have a row on a second node, when a create with an
-- nqn that exists elsewhere claims a slot before it is refused and gives the slot back.
create table storage_subsystem_slot (
    nqn             varchar(255)             not null,
    node_id         varchar(255)             not null,
    created         boolean                  not null,
    dedicated       boolean                  not null,
    max_namespaces  int                      not null,
    live_namespaces int                      not null,
    claimed_at      timestamp with time zone not null,
    primary key (nqn, node_id)
);
create index storage_subsystem_slot_node on storage_subsystem_slot (node_id, created);

-- Which subsystem holds a namespace of each lvol, until the namespace is removed, so a repeated
-- placement finds the namespace it made before.
create table storage_namespace_lvol (
    nqn     varchar(255) not null,
    lvol_id varchar(255) not null,
    node_id varchar(255) not null,
    primary key (nqn, lvol_id)
);
create index storage_namespace_lvol_node on storage_namespace_lvol (node_id, lvol_id);
