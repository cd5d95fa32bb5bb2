package dev.switchboard.supervisor.ops;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Duration;

/**
 * Publishes Prometheus histogram buckets for the chat turn timer ({@code switchboard_chat_turn_duration_seconds}),
 * which is built per turn in {@code TurnMetrics}; a meter filter sets it once for every registration.
 */
@Singleton
public class HistogramFilters {

    /** Name of the chat turn timer (Micrometer form). */
    static final String TURN_DURATION = "switchboard.chat.turn.duration";

    /** @return the filter enabling percentile-histogram buckets (1 ms .. 120 s) on the turn timer */
    @Produces
    @Singleton
    MeterFilter turnDurationHistogram() {
        return new MeterFilter() {
            @Override
            public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
                if (!TURN_DURATION.equals(id.getName())) {
                    return config;
                }
                return DistributionStatisticConfig.builder()
                        .percentilesHistogram(true)
                        .minimumExpectedValue((double) Duration.ofMillis(1).toNanos())
                        .maximumExpectedValue((double) Duration.ofSeconds(120).toNanos())
                        .build()
                        .merge(config);
            }
        };
    }
}
