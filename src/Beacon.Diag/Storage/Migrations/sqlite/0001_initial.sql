CREATE TABLE diag_clients (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    version TEXT NOT NULL,
    os TEXT NOT NULL,
    first_seen_ms INTEGER NOT NULL,
    last_seen_ms INTEGER NOT NULL
);
CREATE INDEX diag_clients_last_seen ON diag_clients (last_seen_ms);

CREATE TABLE diag_events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    client_id TEXT NOT NULL,
    command TEXT NOT NULL,
    duration_ms INTEGER NOT NULL,
    ok INTEGER NOT NULL,
    error_code TEXT NULL,
    server_latency_ms INTEGER NULL,
    at_ms INTEGER NOT NULL,
    received_ms INTEGER NOT NULL
);
CREATE INDEX diag_events_received ON diag_events (received_ms);
CREATE INDEX diag_events_command_received ON diag_events (command, received_ms);

CREATE TABLE diag_alerts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    rule TEXT NOT NULL,
    kind TEXT NOT NULL,
    subject TEXT NOT NULL,
    message TEXT NOT NULL,
    fired_ms INTEGER NOT NULL,
    resolved_ms INTEGER NULL
);
CREATE UNIQUE INDEX diag_alerts_open ON diag_alerts (rule, subject) WHERE resolved_ms IS NULL;
CREATE INDEX diag_alerts_fired ON diag_alerts (fired_ms);
