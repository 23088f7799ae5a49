-- Tenant-owned resources are named <tenant>:<id> in the event store and so in these keys (see
-- TenantIds): a tenant (64), a separator and the id (64; an nqn up to 255).
alter table instance_view alter column instance_id set data type varchar(129);
alter table node_view alter column node_id set data type varchar(129);
alter table subsystem_view alter column nqn set data type varchar(320);
alter table subsystem_view alter column node_id set data type varchar(129);
alter table share_view alter column share_id set data type varchar(129);
alter table share_view alter column source_share_id set data type varchar(129);
