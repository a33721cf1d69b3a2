-- Enrolled hosts: the names their certificates carry and the groups their enrollment token granted.
CREATE TABLE hosts (
    id TEXT PRIMARY KEY,
    host_names TEXT NOT NULL,
    host_groups TEXT NOT NULL,
    enrolled_at BIGINT NOT NULL,
    renewed_at BIGINT,
    valid_before BIGINT NOT NULL,
    token_id TEXT NOT NULL
);
CREATE INDEX hosts_enrolled ON hosts (enrolled_at);

-- One-time host enrollment tokens, stored only as an HMAC under the server secret.
CREATE TABLE host_tokens (
    token_hmac TEXT PRIMARY KEY,
    host_groups TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    created_by TEXT NOT NULL,
    used_at BIGINT
);

-- Renewal challenges: the SHA-256 of 32 random bytes, single use, bound to one certificate serial.
CREATE TABLE host_renewal_challenges (
    challenge_hash TEXT PRIMARY KEY,
    serial TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at BIGINT
);
CREATE INDEX host_renewal_challenges_expiry ON host_renewal_challenges (expires_at);
