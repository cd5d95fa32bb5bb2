package dev.switchboard.supervisor.rollout;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Canary rollout settings of the supervisor (prefix {@code rollout}); a canary that breaks a trigger is rolled back at once. */
@ConfigMapping(prefix = "rollout")
public interface RolloutConfig {

    /** How long a session keeps its assigned agent version ({@code REDIS_TTL}: the session TTL, seconds). */
    @WithDefault("3600s")
    Duration assignmentTtl();

    /** Whether canaries are rolled back automatically when a trigger fires ({@code ROLLOUT_AUTO_ROLLBACK}). */
    @WithDefault("true")
    boolean autoRollback();

    /** Sliding window over which a version's error rate and p95 latency are evaluated ({@code ROLLOUT_WINDOW}). */
    @WithDefault("5m")
    Duration window();

    /** Fewest turns of a version in the window before a trigger may fire ({@code ROLLOUT_MIN_SAMPLES}). */
    @WithDefault("20")
    int minSamples();

    /** Rollback when the error rate is above this (default 5 %; {@code ROLLOUT_MAX_ERROR_RATE}). */
    @WithDefault("0.05")
    double maxErrorRate();

    /** Rollback when the p95 latency is above this (default 3 s; {@code ROLLOUT_MAX_P95}). */
    @WithDefault("3s")
    Duration maxP95();
}
