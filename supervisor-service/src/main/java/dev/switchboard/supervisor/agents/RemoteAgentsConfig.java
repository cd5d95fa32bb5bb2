package dev.switchboard.supervisor.agents;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/**
 * Fault tolerance of calls to {@code remote} and {@code a2a} agents (prefix {@code remote-agents}); the timeout per
 * attempt and the retry count stay {@code supervisor.llm.remote-timeout} / {@code remote-retries}.
 */
@ConfigMapping(prefix = "remote-agents")
public interface RemoteAgentsConfig {

    /** Consecutive failed calls that open an agent's circuit breaker (seed 002: 3; {@code AGENT_BREAKER_FAILURE_THRESHOLD}). */
    @WithDefault("3")
    int breakerFailureThreshold();

    /** How long an open breaker rejects calls before one trial call (seed 002: 30 s; {@code AGENT_BREAKER_DELAY}). */
    @WithDefault("30s")
    Duration breakerDelay();

    /** First pause before a retry; doubled per retry (exponential backoff; {@code AGENT_RETRY_DELAY}). */
    @WithDefault("200ms")
    Duration retryDelay();
}
