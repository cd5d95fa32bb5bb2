-- Agents: the registry's source of truth. Redis only caches these rows.
CREATE TABLE IF NOT EXISTS registry.agents (
    name            VARCHAR(128)  PRIMARY KEY,
    description     VARCHAR(2000) NOT NULL,
    capabilities    TEXT[]        NOT NULL DEFAULT '{}',
    version         VARCHAR(64)   NOT NULL DEFAULT '1.0.0',
    status          VARCHAR(16)   NOT NULL DEFAULT 'active',
    kind            VARCHAR(16)   NOT NULL DEFAULT 'llm',
    prompt_id       VARCHAR(128),
    model           JSONB,
    tools           TEXT[]        NOT NULL DEFAULT '{}',
    endpoint        VARCHAR(2048),
    examples        TEXT[]        NOT NULL DEFAULT '{}',
    metadata        JSONB         NOT NULL DEFAULT '{}'::jsonb,
    is_default      BOOLEAN       NOT NULL DEFAULT FALSE,
    -- 'seed': managed by agents/*.yaml (re-applied when the file changes); 'api': changed at runtime, never overwritten by seeding
    source          VARCHAR(8)    NOT NULL DEFAULT 'api',
    seed_hash       VARCHAR(64),
    -- incremented on every real change of definition or status (not on a plain heartbeat)
    revision        BIGINT        NOT NULL DEFAULT 1,
    created_at      TIMESTAMPTZ   NOT NULL DEFAULT now(),
    updated_at      TIMESTAMPTZ   NOT NULL DEFAULT now(),
    last_heartbeat  TIMESTAMPTZ,
    CONSTRAINT agents_status_check CHECK (status IN ('active', 'inactive', 'draining', 'unhealthy')),
    CONSTRAINT agents_kind_check CHECK (kind IN ('llm', 'remote')),
    CONSTRAINT agents_source_check CHECK (source IN ('seed', 'api')),
    CONSTRAINT agents_remote_endpoint_check CHECK (kind <> 'remote' OR endpoint IS NOT NULL)
);

CREATE INDEX IF NOT EXISTS agents_capabilities_idx ON registry.agents USING GIN (capabilities);
-- the heartbeat monitor scans active remote agents only
CREATE INDEX IF NOT EXISTS agents_remote_heartbeat_idx ON registry.agents (last_heartbeat)
    WHERE kind = 'remote' AND status = 'active';
