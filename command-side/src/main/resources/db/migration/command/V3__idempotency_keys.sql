-- Idempotency keys live in the shared database so they hold across replicas and restarts
--. A key belongs to the caller that sent it.
create table idempotency_key (
    principal             varchar(255)             not null,
    idem_key              varchar(255)             not null,
    fingerprint           varchar(64)              not null,
    status                varchar(16)              not null,
    response_status       int,
    response_etag         varchar(64),
    response_content_type varchar(255),
    response_body         bytea,
    created_at            timestamp with time zone not null,
    expires_at            timestamp with time zone not null,
    primary key (principal, idem_key)
);
create index idempotency_key_expires_at on idempotency_key (expires_at);
