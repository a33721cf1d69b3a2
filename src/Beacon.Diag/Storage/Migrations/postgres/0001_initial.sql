CREATE TABLE diag_clients (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    version TEXT NOT NULL,
    os TEXT NOT NULL,
    first_seen_ms BIGINT NOT NULL,
    last_seen_ms BIGINT NOT NULL
);
CREATE INDEX diag_clients_last_seen ON diag_clients (last_seen_ms);

CREATE TABLE diag_events (
    id BIGSERIAL PRIMARY KEY,
    client_id TEXT NOT NULL,
    command TEXT NOT NULL,
    duration_ms BIGINT NOT NULL,
    ok BOOLEAN NOT NULL,
    error_code TEXT NULL,
    server_latency_ms BIGINT NULL,
    at_ms BIGINT NOT NULL,
    received_ms BIGINT NOT NULL
);
CREATE INDEX diag_events_received ON diag_events (received_ms);
CREATE INDEX diag_events_command_received ON diag_events (command, received_ms);

CREATE TABLE diag_alerts (
    id BIGSERIAL PRIMARY KEY,
    rule TEXT NOT NULL,
    kind TEXT NOT NULL,
    subject TEXT NOT NULL,
    message TEXT NOT NULL,
    fired_ms BIGINT NOT NULL,
    resolved_ms BIGINT NULL
);
CREATE UNIQUE INDEX diag_alerts_open ON diag_alerts (rule, subject) WHERE resolved_ms IS NULL;
CREATE INDEX diag_alerts_fired ON diag_alerts (fired_ms);
