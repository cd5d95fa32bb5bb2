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

    /** Checkpoints per page when {@code limit} is absent. */
    @WithDefault("20")
    int defaultPageSize();
}
