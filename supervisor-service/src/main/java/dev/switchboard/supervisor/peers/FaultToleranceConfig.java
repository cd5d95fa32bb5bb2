package dev.switchboard.supervisor.peers;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Min;
import java.time.Duration;

/**
 * The fault-tolerance numbers of every peer the supervisor calls (prefix {@code supervisor.fault-tolerance}), one
 * block per peer; the keys of a block mirror SmallRye Fault Tolerance's own ({@code timeout},
 * {@code retry.max-retries}, {@code circuit-breaker.delay}, …). The values live in application.properties, where
 * each peer's block is written out; the defaults here only cover a key left out.
 */
@ConfigMapping(prefix = "supervisor.fault-tolerance")
public interface FaultToleranceConfig {

    /** state-service: loading sessions, appending turns ({@code state-service.*}). */
    Policy stateService();

    /** agent-registry-service: agents, supervisor instances, canary rollbacks ({@code agent-registry.*}). */
    Policy agentRegistry();

    /** prompt-service: prompts by label ({@code prompt-service.*}). */
    Policy promptService();

    /** The GoHighLevel API: replies to contacts and the GHL calendar ({@code ghl.*}). */
    Policy ghl();

    /**
     * Remote and A2A agents ({@code remote-agents.*}): the numbers apply to each agent version's guard of its own, and
     * its retries only to requests that never reached the agent.
     */
    Policy remoteAgents();

    /** The chat model ({@code llm.*}): LLM agents' turns and the LLM router. */
    Llm llm();

    /** One peer's policy. */
    interface Policy {

        /** Time limit of one attempt; past it the call fails with the peer's timeout problem (504). */
        @WithDefault("5s")
        Duration timeout();

        /** Retries of calls that are safe to repeat. */
        Retry retry();

        /** The circuit breaker of each guarded call. */
        CircuitBreaker circuitBreaker();
    }

    /** Retries of a call that is safe to repeat; a call that must reach the peer at most once is never retried. */
    interface Retry {

        /** Attempts after the first; 0 turns retries off. */
        @WithDefault("2")
        @Min(0)
        int maxRetries();

        /** Pause before each retry. */
        @WithDefault("200ms")
        Duration delay();

        /** Random spread added to or taken from the pause, so replicas do not retry in step. */
        @WithDefault("100ms")
        Duration jitter();
    }

    /** A circuit breaker: opens when the failures among the last calls reach the ratio. */
    interface CircuitBreaker {

        /** Calls in the rolling window the failure ratio is taken over (and the fewest before it can open). */
        @WithDefault("6")
        @Min(1)
        int requestVolumeThreshold();

        /** Share of failed calls in the window that opens it; 1.0 = every call of the window failed. */
        @WithDefault("0.5")
        @DecimalMin("0.0")
        @DecimalMax("1.0")
        double failureRatio();

        /** How long an open breaker refuses calls before it lets a trial call through. */
        @WithDefault("5s")
        Duration delay();
    }

    /** The chat model's policy. */
    interface Llm {

        /**
         * Time limit of one LLM agent turn (every model and tool round) and of one LLM routing call
         * ({@code LLM_TIMEOUT}).
         */
        @WithDefault("60s")
        Duration timeout();
    }
}
