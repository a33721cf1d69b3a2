-- CA keys under lifecycle management, shared by every replica: per kind at most one next, one active and
-- one previous key (the partial unique index), any number retired. The private key is an EncryptedKeyFile
-- under the CA password.
CREATE TABLE ca_keys (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL CHECK (kind IN ('user', 'host')),
    public_key TEXT NOT NULL,
    fingerprint TEXT NOT NULL UNIQUE,
    encrypted_private_key BLOB NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('next', 'active', 'previous', 'retired')),
    created_at BIGINT NOT NULL,
    activated_at BIGINT,
    retired_at BIGINT
);
CREATE UNIQUE INDEX ca_keys_one_per_state ON ca_keys (kind, state) WHERE state <> 'retired';

-- Trust bundle versions: the exact document bytes and their armored OpenPGP signature (null while an
-- offline draft waits for the operator's signature).
CREATE TABLE trust_bundles (
    version BIGINT PRIMARY KEY,
    document BLOB NOT NULL,
    signature TEXT,
    created_at BIGINT NOT NULL,
    published_at BIGINT,
    published_by TEXT
);
