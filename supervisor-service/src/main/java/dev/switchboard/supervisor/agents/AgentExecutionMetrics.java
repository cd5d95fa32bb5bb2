package dev.switchboard.supervisor.agents;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * {@code switchboard_chat_llm_duration_seconds{agent,kind,outcome}}: the agent execution part of a chat turn (all
 * model and tool rounds of an {@code llm} agent, or the call of a {@code remote} one), as a histogram.
 */
@ApplicationScoped
public class AgentExecutionMetrics {

    private final MeterRegistry meters;

    /** @param meters where the timer is registered */
    public AgentExecutionMetrics(MeterRegistry meters) {
        this.meters = meters;
    }

    /**
     * Records one agent execution. Never throws.
     *
     * @param agent   agent name
     * @param kind    {@code llm} or {@code remote}
     * @param outcome {@code ok} or {@code error}
     * @param nanos   duration
     */
    public void record(String agent, String kind, String outcome, long nanos) {
        try {
            Timer.builder("switchboard.chat.llm.duration")
                    .description("Agent execution part of a chat turn (model and tool rounds, or the remote call)")
                    .tag("agent", agent)
                    .tag("kind", kind)
                    .tag("outcome", outcome)
                    .publishPercentileHistogram()
                    .minimumExpectedValue(Duration.ofMillis(1))
                    .maximumExpectedValue(Duration.ofSeconds(120))
                    .register(meters)
                    .record(nanos, TimeUnit.NANOSECONDS);
        } catch (RuntimeException e) {
            // a meter clash must never fail a turn
        }
    }
}
