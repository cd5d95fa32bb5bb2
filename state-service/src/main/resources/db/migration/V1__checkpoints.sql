-- Durable session checkpoints, shaped like the seed's langgraph_checkpoints table (migration guide 004).
-- PostgreSQL is the serialisation point for session writes: every write inserts the next version, and
-- UNIQUE (thread_id, version) makes a concurrent second writer of the same version fail.
CREATE TABLE IF NOT EXISTS state.checkpoints (
    thread_id             VARCHAR(255) NOT NULL,
    checkpoint_id         VARCHAR(255) NOT NULL,
    parent_id             VARCHAR(255),
    version               BIGINT       NOT NULL,
    user_id               VARCHAR(255),
    checkpoint            JSONB        NOT NULL,
    checkpoint_compressed BYTEA,
    metadata              JSONB        DEFAULT '{}',
    created_at            TIMESTAMPTZ  NOT NULL DEFAULT CURRENT_TIMESTAMP,
    expires_at            TIMESTAMPTZ,
    PRIMARY KEY (thread_id, checkpoint_id),
    CONSTRAINT uq_checkpoints_thread_version UNIQUE (thread_id, version)
);

CREATE INDEX IF NOT EXISTS idx_checkpoints_thread ON state.checkpoints (thread_id);
CREATE INDEX IF NOT EXISTS idx_checkpoints_expires ON state.checkpoints (expires_at);
CREATE INDEX IF NOT EXISTS idx_checkpoints_user ON state.checkpoints (user_id);
