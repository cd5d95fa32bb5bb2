-- Supervisor instances (replicas of supervisor-service): registration and heartbeats, for the cluster view.
-- 'status' is what the heartbeat monitor last announced ('stale' once, on the up -> stale transition);
-- readers compute up/stale from last_heartbeat themselves, so a listing never waits for the monitor.
CREATE TABLE IF NOT EXISTS registry.supervisors (
    id               VARCHAR(128)  PRIMARY KEY,
    host             VARCHAR(255)  NOT NULL,
    port             INTEGER       NOT NULL,
    version          VARCHAR(64)   NOT NULL,
    capacity         INTEGER       NOT NULL,
    active_sessions  INTEGER       NOT NULL DEFAULT 0,
    status           VARCHAR(8)    NOT NULL DEFAULT 'up',
    started_at       TIMESTAMPTZ   NOT NULL DEFAULT now(),
    registered_at    TIMESTAMPTZ   NOT NULL DEFAULT now(),
    last_heartbeat   TIMESTAMPTZ   NOT NULL DEFAULT now(),
    CONSTRAINT supervisors_port_check CHECK (port BETWEEN 1 AND 65535),
    CONSTRAINT supervisors_capacity_check CHECK (capacity >= 0),
    CONSTRAINT supervisors_active_sessions_check CHECK (active_sessions >= 0),
    CONSTRAINT supervisors_status_check CHECK (status IN ('up', 'stale'))
);

-- the monitor looks for silent instances
CREATE INDEX IF NOT EXISTS supervisors_last_heartbeat_idx ON registry.supervisors (last_heartbeat);
