-- Issue 4: A2A agents (kind 'a2a', endpoint = the JSON-RPC URL from the agent's card) and versions with traffic
-- weights for canary rollouts. The agent row stays the stable version; agent_versions holds the other versions,
-- and the stable one receives 100 - sum(weight) percent of new sessions.
ALTER TABLE registry.agents DROP CONSTRAINT IF EXISTS agents_kind_check;
ALTER TABLE registry.agents ADD CONSTRAINT agents_kind_check CHECK (kind IN ('llm', 'remote', 'a2a'));
ALTER TABLE registry.agents DROP CONSTRAINT IF EXISTS agents_remote_endpoint_check;
ALTER TABLE registry.agents ADD CONSTRAINT agents_remote_endpoint_check CHECK (kind = 'llm' OR endpoint IS NOT NULL);

CREATE TABLE IF NOT EXISTS registry.agent_versions (
    agent_name  VARCHAR(128)  NOT NULL REFERENCES registry.agents (name) ON DELETE CASCADE,
    version     VARCHAR(64)   NOT NULL,
    -- percent of new sessions assigned to this version (seed 001 cutover: 10, 25, 50, 75, 90, 100)
    weight      INTEGER       NOT NULL DEFAULT 0,
    -- what differs from the stable version; NULL means "as the stable version"
    endpoint    VARCHAR(2048),
    prompt_id   VARCHAR(128),
    model       JSONB,
    created_at  TIMESTAMPTZ   NOT NULL DEFAULT now(),
    updated_at  TIMESTAMPTZ   NOT NULL DEFAULT now(),
    PRIMARY KEY (agent_name, version),
    CONSTRAINT agent_versions_weight_check CHECK (weight BETWEEN 0 AND 100)
);
