-- Users are identities as their provider names them, mapped to one internal record.
CREATE TABLE users (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    provider TEXT NOT NULL,
    subject TEXT NOT NULL,
    username TEXT NOT NULL,
    email TEXT,
    first_seen BIGINT NOT NULL,
    last_seen BIGINT NOT NULL,
    disabled BIGINT NOT NULL DEFAULT 0,
    disabled_reason TEXT,
    UNIQUE (provider, subject)
);
CREATE INDEX users_username ON users (username);

CREATE TABLE certificates (
    serial TEXT PRIMARY KEY,
    cert_type TEXT NOT NULL,
    user_id BIGINT,
    username TEXT NOT NULL,
    provider TEXT NOT NULL,
    key_id TEXT NOT NULL,
    principals TEXT NOT NULL,
    host_group TEXT,
    public_key_fingerprint TEXT NOT NULL,
    ca_fingerprint TEXT NOT NULL,
    valid_after BIGINT NOT NULL,
    valid_before BIGINT NOT NULL,
    issued_at BIGINT NOT NULL,
    client_address TEXT,
    request_id TEXT NOT NULL,
    certificate TEXT NOT NULL,
    revoked_at BIGINT,
    revoked_by TEXT
);
CREATE INDEX certificates_user ON certificates (username, issued_at);
CREATE INDEX certificates_issued ON certificates (issued_at);

CREATE TABLE one_time_tokens (
    token_hash TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    username TEXT NOT NULL,
    principals TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at BIGINT
);

CREATE TABLE policies (
    version BIGINT PRIMARY KEY,
    document TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    created_by TEXT NOT NULL
);

-- The audit log: a hash chain, each row holding the hash of the one before.
CREATE TABLE audit_events (
    seq BIGINT PRIMARY KEY,
    occurred_at BIGINT NOT NULL,
    kind TEXT NOT NULL,
    outcome TEXT NOT NULL,
    actor TEXT NOT NULL,
    subject TEXT,
    details TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
