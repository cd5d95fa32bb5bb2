package dev.switchboard.registry.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithConverter;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** Configuration of agent-registry-service (prefix {@code registry}), under the env names deployments already set. */
@ConfigMapping(prefix = "registry")
public interface RegistryConfig {

    /** Extra directory of agent YAML files seeded at start ({@code AGENTS_DIR}); classpath {@code agents/} is always seeded. */
    Optional<String> seedDir();

    /** Time-to-live of cached agents and agent lists in Redis ({@code REDIS_CACHE_TTL}; a bare number is seconds). */
    @WithDefault("300")
    Duration cacheTtl();

    /** Heartbeat monitoring of remote agents. */
    Heartbeat heartbeat();

    /** Supervisor instance tracking ({@code /supervisors}). */
    Supervisors supervisors();

    /** Supervisor instance settings; a bare number is milliseconds, {@code 15s} and {@code PT15S} work too. */
    interface Supervisors {

        /**
         * An instance silent for longer than this is listed as {@code stale} ({@code SUPERVISOR_HEARTBEAT_TIMEOUT});
         * after ten times this it is deleted. Checked by the heartbeat monitor every {@code HEARTBEAT_CHECK_INTERVAL}.
         */
        @WithDefault("15s")
        @WithConverter(MillisOrDurationConverter.class)
        Duration heartbeatTimeout();
    }

    /** Heartbeat monitor settings; a bare number is milliseconds (as deployments write it), {@code 30s} and {@code PT30S} too. */
    interface Heartbeat {

        /** A remote agent silent for longer than this is marked unhealthy ({@code HEARTBEAT_TIMEOUT}). */
        @WithDefault("30s")
        @WithConverter(MillisOrDurationConverter.class)
        Duration timeout();

        /** How often the monitor looks for silent remote agents ({@code HEARTBEAT_CHECK_INTERVAL}). */
        @WithDefault("10s")
        @WithConverter(MillisOrDurationConverter.class)
        Duration checkInterval();
    }
}
