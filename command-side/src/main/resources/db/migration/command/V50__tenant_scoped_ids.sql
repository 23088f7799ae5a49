-- Tenant-owned resources are named <tenant>:<id> in the event store (see TenantIds): a tenant
-- (64) and a separator in front of an nqn (up to 255) need room beyond 255 characters.
alter table domain_event_entry alter column aggregate_identifier set data type varchar(320);
alter table snapshot_event_entry alter column aggregate_identifier set data type varchar(320);
alter table dead_letter_entry alter column aggregate_identifier set data type varchar(320);
alter table association_value_entry alter column association_value set data type varchar(320);
alter table storage_subsystem_slot alter column nqn set data type varchar(320);
alter table storage_namespace_lvol alter column nqn set data type varchar(320);
