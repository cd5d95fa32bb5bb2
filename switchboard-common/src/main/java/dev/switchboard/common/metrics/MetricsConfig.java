package dev.switchboard.common.metrics;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Metric settings shared by the four services ({@code switchboard.metrics.*}). */
@ConfigMapping(prefix = "switchboard.metrics")
public interface MetricsConfig {

    /**
     * {@code METRICS_MAX_TAG_VALUES}: distinct values kept per meter and tag (e.g. agents on the turn counter);
     * further values are counted under {@code other}.
     */
    @WithDefault("200")
    int maxTagValues();
}
