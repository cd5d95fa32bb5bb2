package dev.switchboard.state.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** state-service settings, mapped in application.properties from the environment names deployments already set. */
@ConfigMapping(prefix = "state")
public interface StateConfig {

    /** Sliding TTL of the Redis session copy and the per-user index, in seconds ({@code REDIS_TTL}). */
    @WithDefault("3600")
    long ttl();

    /** How many times a turn without If-Match is tried when another writer took its version. */
    @WithDefault("5")
    int turnRetryAttempts();

    /** Base pause between turn retries (multiplied by the attempt number, plus jitter). */
    @WithDefault("PT0.02S")
    Duration turnRetryBackoff();

    /**
     * How long a fenced write waits for Redis to tell the session's newest lease token ({@code LEASE_CHECK_TIMEOUT});
     * past it the write is checked against the highest token PostgreSQL recorded only.
     */
    @WithDefault("PT0.5S")
    Duration leaseCheckTimeout();

    /** Checkpoints per page when {@code limit} is absent. */
    @WithDefault("20")
    int defaultPageSize();

    /**
     * A write whose version is a multiple of this stores the full session as well as its delta, so reading the
     * latest version replays fewer than this many deltas ({@code CHECKPOINT_SNAPSHOT_EVERY}, at least 1).
     */
    @WithDefault("20")
    int checkpointSnapshotEvery();

    /**
     * How long a session's checkpoints are kept after its last write ({@code CHECKPOINT_RETENTION}); each row's
     * {@code expires_at} is its write time plus this.
     */
    @WithDefault("30d")
    Duration checkpointRetention();

    /**
     * Versions kept per session ({@code CHECKPOINT_KEEP_LAST}, at least 1); older ones are swept, except the
     * checkpoints a fork was made from.
     */
    @WithDefault("100")
    int checkpointKeepLast();

    /**
     * Pause between checkpoint sweeps, a duration such as {@code 5m}, or {@code off} for none
     * ({@code CHECKPOINT_SWEEP_INTERVAL}); read by the sweeper's schedule.
     */
    @WithDefault("5m")
    String checkpointSweepInterval();

    /** Sessions the sweeper handles per transaction ({@code CHECKPOINT_SWEEP_BATCH}). */
    @WithDefault("100")
    int checkpointSweepBatch();

    /**
     * How long an erasure fences the erased user and sessions ({@code ERASURE_FENCE_TTL}): a write whose fencing token
     * is older than the erasure (a turn that was in flight) is refused for this long, so it cannot bring the data
     * back. Longer than any turn runs.
     */
    @WithDefault("1h")
    Duration erasureFenceTtl();

    /**
     * Longest wait for one Redis command ({@code REDIS_TIMEOUT}); past it the command counts as failed and a read
     * falls back to PostgreSQL, so a stalled Redis costs a request this long at most.
     */
    @WithDefault("250ms")
    Duration redisTimeout();

    /**
     * Longest wait for one PostgreSQL operation of a request, waiting for a connection included ({@code DB_TIMEOUT});
     * past it, or when PostgreSQL refuses the connection, the request answers 503 {@code dependency-unavailable}.
     */
    @WithDefault("2s")
    Duration databaseTimeout();
}
