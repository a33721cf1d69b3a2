-- Plain public keys revoked outright (a KRL's explicit keys); certificates for them are revoked too.
CREATE TABLE revoked_keys (
    fingerprint TEXT PRIMARY KEY,
    public_key TEXT NOT NULL,
    revoked_at BIGINT NOT NULL,
    revoked_by TEXT NOT NULL,
    reason TEXT
);

-- The KRL's version: one row, raised in the same transaction as every revocation, so every replica
-- builds the same KRL for the same version.
CREATE TABLE krl_state (
    id BIGINT PRIMARY KEY CHECK (id = 1),
    version BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
INSERT INTO krl_state (id, version, updated_at) VALUES (1, 1, 0);

CREATE INDEX certificates_revoked ON certificates (revoked_at);
