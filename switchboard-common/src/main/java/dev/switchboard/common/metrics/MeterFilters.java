package dev.switchboard.common.metrics;

import io.micrometer.core.instrument.config.MeterFilter;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** The meter filters every service's registry applies (Quarkus Micrometer applies each {@link MeterFilter} bean). */
@Singleton
public class MeterFilters {

    /** @return the cap on distinct tag values ({@link BoundedTagValues}) */
    @Produces
    @Singleton
    MeterFilter boundedTagValues(MetricsConfig config) {
        return new BoundedTagValues(config.maxTagValues());
    }
}
