package dev.switchboard.supervisor.ops;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * {@code switchboard_event_propagation_seconds{channel}}: from an event's {@code timestamp} (set by the publishing
 * service) to the moment this replica applied it. Clock skew between hosts can make it negative: counted as 0.
 */
@ApplicationScoped
public class EventPropagationMetrics {

    /** Channel tag of registry agent events. */
    public static final String AGENTS = "agents";
    /** Channel tag of prompt events. */
    public static final String PROMPTS = "prompts";

    private final Timer agents;
    private final Timer prompts;

    EventPropagationMetrics(MeterRegistry meters) {
        this.agents = timer(meters, AGENTS);
        this.prompts = timer(meters, PROMPTS);
    }

    private static Timer timer(MeterRegistry meters, String channel) {
        return Timer.builder("switchboard.event.propagation")
                .description("Event timestamp to the moment this replica applied it")
                .tag("channel", channel)
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(60))
                .register(meters);
    }

    /**
     * Records one applied event.
     *
     * @param channel   {@link #AGENTS} or {@link #PROMPTS}
     * @param published the event's timestamp ({@code null}: nothing recorded)
     */
    public void applied(String channel, Instant published) {
        if (published == null) {
            return;
        }
        Duration delay = Duration.between(published, Instant.now());
        (PROMPTS.equals(channel) ? prompts : agents).record(delay.isNegative() ? Duration.ZERO : delay);
    }

    /** @return the instant in an ISO-8601 {@code timestamp} field, or {@code null} when absent or unreadable */
    public static Instant parseTimestamp(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            try {
                return java.time.OffsetDateTime.parse(value).toInstant();
            } catch (DateTimeParseException again) {
                return null;
            }
        }
    }
}
