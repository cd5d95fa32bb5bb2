package dev.switchboard.common.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.Test;

/** One WARN line per interval however often an outage fails requests; the next line counts what was left out. */
class ThrottledWarningTest {

    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final ThrottledWarning warning =
            new ThrottledWarning(Logger.getLogger(ThrottledWarningTest.class), Duration.ofSeconds(10), now::get);

    @Test
    void writesTheFirstLineAndThenOnePerInterval() {
        assertTrue(warning.warn("Redis unavailable (%s)", "refused"), "the first line is written");
        for (int i = 0; i < 100; i++) {
            assertFalse(warning.warn("Redis unavailable (%s)", "refused"), "within the interval: counted only");
        }
        now.addAndGet(Duration.ofSeconds(9).toNanos());
        assertFalse(warning.warn("Redis unavailable (%s)", "refused"));
        now.addAndGet(Duration.ofSeconds(1).toNanos());
        assertTrue(warning.warn("Redis unavailable (%s)", "refused"), "once the interval has passed");
        assertFalse(warning.warn("Redis unavailable (%s)", "refused"));
    }

    @Test
    void onlyOneOfManyThreadsWritesAtATime() throws Exception {
        AtomicLong written = new AtomicLong();
        Thread[] threads = new Thread[8];
        for (int t = 0; t < threads.length; t++) {
            threads[t] = Thread.ofVirtual().start(() -> {
                for (int i = 0; i < 1000; i++) {
                    if (warning.warn("outage")) {
                        written.incrementAndGet();
                    }
                }
            });
        }
        for (Thread thread : threads) {
            thread.join();
        }
        assertEquals(1, written.get());
    }

    @Test
    void refusesAnIntervalThatIsNotPositive() {
        Logger log = Logger.getLogger(ThrottledWarningTest.class);
        assertThrows(IllegalArgumentException.class, () -> new ThrottledWarning(log, Duration.ZERO));
    }
}
