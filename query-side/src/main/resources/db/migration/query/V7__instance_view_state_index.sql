-- A filtered list counts its matches on every page. Counting "vmState in (...) and busy=false" from
-- the heap reads every wide row (the fold state is most of it); this index answers the vmState and
-- taskState filters, alone or together, from the index alone once the table is vacuumed. It takes
-- the place of the vm_state index, whose every use it also serves.
create index instance_view_vm_state_task on instance_view (vm_state, task_state);
drop index instance_view_vm_state;
