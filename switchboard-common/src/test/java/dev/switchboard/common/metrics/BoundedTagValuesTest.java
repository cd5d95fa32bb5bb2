package dev.switchboard.common.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Tag values clients make up cannot grow the registry without bound. */
class BoundedTagValuesTest {

    @Test
    void tenThousandMadeUpValuesMakeNoMoreMetersThanTheCap() {
        MeterRegistry registry = new SimpleMeterRegistry();
        registry.config().meterFilter(new BoundedTagValues(50));
        for (int i = 0; i < 10_000; i++) {
            Counter.builder("switchboard.chat.turns")
                    .tag("agent", "made-up-" + i)
                    .tag("outcome", "ok")
                    .register(registry)
                    .increment();
        }
        assertEquals(51, registry.find("switchboard.chat.turns").counters().size(), "50 values and other");
        assertEquals(
                9_950,
                registry.get("switchboard.chat.turns")
                        .tag("agent", BoundedTagValues.OTHER)
                        .counter()
                        .count(),
                "the rest is counted, under other");
        assertEquals(
                1,
                registry.get("switchboard.chat.turns")
                        .tag("agent", "made-up-7")
                        .counter()
                        .count(),
                "a value within the cap keeps its own meter");
    }

    @Test
    void eachMeterAndTagHasItsOwnCap() {
        MeterRegistry registry = new SimpleMeterRegistry();
        registry.config().meterFilter(new BoundedTagValues(2));
        for (String agent : new String[] {"a", "b", "c"}) {
            registry.counter("turns", "agent", agent, "version", "1").increment();
            registry.counter("failures", "agent", agent).increment();
        }
        Set<String> turns = registry.find("turns").counters().stream()
                .map(c -> c.getId().getTag("agent"))
                .collect(Collectors.toSet());
        assertEquals(Set.of("a", "b", "other"), turns);
        assertEquals(3, registry.find("failures").counters().size());
        assertTrue(registry.find("turns").counters().stream()
                .allMatch(c -> "1".equals(c.getId().getTag("version"))));
    }
}
