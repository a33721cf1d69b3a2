-- Indexes for the admin lists (web dashboard): keyset paging newest first, and the search filters.
CREATE INDEX certificates_issued_serial ON certificates (issued_at, serial);
CREATE INDEX certificates_user_issued_serial ON certificates (username, issued_at, serial);
CREATE INDEX certificates_key_id ON certificates (key_id);
CREATE INDEX audit_events_kind ON audit_events (kind, seq);
CREATE INDEX audit_events_actor ON audit_events (actor, seq);
CREATE INDEX audit_events_subject ON audit_events (subject, seq);
