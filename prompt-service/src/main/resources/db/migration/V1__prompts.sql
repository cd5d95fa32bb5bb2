-- prompt-service: prompts, their immutable versions and the labels that point at versions.
-- "latest" is not stored: it is always the highest version number.

CREATE TABLE IF NOT EXISTS prompts.prompts (
    id          TEXT PRIMARY KEY CHECK (id ~ '^[A-Za-z0-9._:-]{1,128}$'),
    name        TEXT        NOT NULL,
    type        TEXT        NOT NULL CHECK (type IN ('agent', 'router', 'rag', 'utility')),
    is_active   BOOLEAN     NOT NULL DEFAULT TRUE,
    is_default  BOOLEAN     NOT NULL DEFAULT FALSE,
    -- 'seed': managed by the YAML import; 'api': changed through the admin API, never overwritten by it
    source      TEXT        NOT NULL DEFAULT 'api' CHECK (source IN ('seed', 'api')),
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    -- soft delete keeps the history and stops the importer from bringing a deleted seed prompt back
    deleted_at  TIMESTAMPTZ
);

CREATE INDEX IF NOT EXISTS idx_prompts_type ON prompts.prompts (type) WHERE deleted_at IS NULL;

CREATE TABLE IF NOT EXISTS prompts.prompt_versions (
    prompt_id     TEXT        NOT NULL REFERENCES prompts.prompts (id) ON DELETE CASCADE,
    version       INTEGER     NOT NULL CHECK (version > 0),
    content       TEXT        NOT NULL,
    variables     JSONB       NOT NULL DEFAULT '[]'::jsonb,
    model_config  JSONB       NOT NULL DEFAULT '{}'::jsonb,
    semver        TEXT,
    content_hash  TEXT        NOT NULL,
    author        TEXT,
    message       TEXT,
    created_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (prompt_id, version)
);

-- Versions are immutable: a change is a new version.
CREATE OR REPLACE FUNCTION prompts.forbid_version_update() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'prompt versions are immutable (prompt %, version %)', OLD.prompt_id, OLD.version;
END;
$$ LANGUAGE plpgsql;

DROP TRIGGER IF EXISTS prompt_versions_immutable ON prompts.prompt_versions;
CREATE TRIGGER prompt_versions_immutable
    BEFORE UPDATE ON prompts.prompt_versions
    FOR EACH ROW EXECUTE FUNCTION prompts.forbid_version_update();

CREATE TABLE IF NOT EXISTS prompts.prompt_labels (
    prompt_id   TEXT        NOT NULL,
    label       TEXT        NOT NULL CHECK (label ~ '^[A-Za-z0-9._:-]{1,128}$' AND label <> 'latest'),
    version     INTEGER     NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (prompt_id, label),
    FOREIGN KEY (prompt_id, version) REFERENCES prompts.prompt_versions (prompt_id, version) ON DELETE CASCADE
);
