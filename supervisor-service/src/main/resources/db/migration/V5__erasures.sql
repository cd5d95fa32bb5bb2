-- Audit of erasures (DELETE /users/{user_id}/data, DELETE /crm/ghl/locations/{location_id}/contacts/{contact_id}/data):
-- who asked, when, and how much was removed, never what. The person erased is recorded only as the SHA-256 (hex) of
-- the subject ("user:<user_id>" or "contact:<location_id>:<contact_id>"), so this table holds no personal data of
-- theirs, yet a later request can tell whether a given id was erased.
CREATE TABLE IF NOT EXISTS supervisor.erasures (
    id              uuid PRIMARY KEY,
    subject_kind    text NOT NULL CHECK (subject_kind IN ('user', 'contact')),
    subject_sha256  text NOT NULL,
    requested_by    text NOT NULL,
    requested_at    timestamptz NOT NULL DEFAULT now(),
    counts          jsonb NOT NULL
);

CREATE INDEX IF NOT EXISTS erasures_requested_at_idx ON supervisor.erasures (requested_at DESC);
CREATE INDEX IF NOT EXISTS erasures_subject_idx ON supervisor.erasures (subject_sha256);
