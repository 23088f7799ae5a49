-- Which share manages each export path (share/JdbcExportPaths). A row is written in the same
-- transaction as the share's ShareManageStarted event and removed when the share is DELETED or
-- UNMANAGED, so no two shares manage one path.
create table share_export_path (
    export_path varchar(1024) not null primary key,
    share_id    varchar(255)  not null
);
