-- Users who log in with a password (issue 5; seed 002's POST /api/v1/auth/login). Machine clients use API keys
-- (SWITCHBOARD_API_KEYS) instead and have no row here. The password is stored as a BCrypt hash only.
CREATE TABLE IF NOT EXISTS supervisor.users (
    username       text PRIMARY KEY,
    password_hash  text NOT NULL,
    roles          text[] NOT NULL,
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now()
);
