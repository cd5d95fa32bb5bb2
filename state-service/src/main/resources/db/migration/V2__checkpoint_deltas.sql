-- Linear checkpoint storage. A row is a snapshot (checkpoint = the full session) or a delta (delta = what that
-- version added: its messages and turn records, the merge patches of state and metadata, the new fencing token),
-- or both: a periodic snapshot keeps its delta so that it can be thinned to a delta when a newer snapshot is
-- written. A snapshot without a delta is a base: nothing below it is needed to read it, and it is never thinned.
-- Existing rows hold full sessions and no delta: they are bases as they are, so no data is rewritten.
ALTER TABLE state.checkpoints ALTER COLUMN checkpoint DROP NOT NULL;
ALTER TABLE state.checkpoints ADD COLUMN IF NOT EXISTS delta JSONB;
ALTER TABLE state.checkpoints
    ADD CONSTRAINT ck_checkpoints_snapshot_or_delta CHECK (checkpoint IS NOT NULL OR delta IS NOT NULL) NOT VALID;
ALTER TABLE state.checkpoints VALIDATE CONSTRAINT ck_checkpoints_snapshot_or_delta;

-- Retention: rows written before expires_at was filled expire by their created_at (the sweeper adds the retention).
CREATE INDEX IF NOT EXISTS idx_checkpoints_created_unexpiring ON state.checkpoints (created_at) WHERE expires_at IS NULL;

-- Keep-last never removes a checkpoint a fork was made from: the fork's first checkpoint names it in its metadata.
CREATE INDEX IF NOT EXISTS idx_checkpoints_forked_from
    ON state.checkpoints ((metadata -> 'forked_from' ->> 'thread_id'), (metadata -> 'forked_from' ->> 'checkpoint_id'))
    WHERE metadata ? 'forked_from';
