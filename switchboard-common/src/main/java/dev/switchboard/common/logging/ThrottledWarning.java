package dev.switchboard.common.logging;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.jboss.logging.Logger;

/**
 * A WARN line that is written at most once per interval, however often its condition happens: an outage of Redis or
 * PostgreSQL fails every request, and one line per request would flood the log an operator is reading. The next line
 * after a quiet interval says how many were left out since the previous one.
 *
 * <p>Thread-safe and lock-free; one instance per kind of event (e.g. "session read fell back to PostgreSQL").
 */
public final class ThrottledWarning {

    private final Logger log;
    private final long intervalNanos;
    private final LongSupplier clock;
    private final AtomicLong nextAt = new AtomicLong(Long.MIN_VALUE);
    private final AtomicLong suppressed = new AtomicLong();

    /**
     * @param log      where the lines go
     * @param interval the least time between two lines, more than zero
     * @throws IllegalArgumentException for an interval that is not positive
     */
    public ThrottledWarning(Logger log, Duration interval) {
        this(log, interval, System::nanoTime);
    }

    /** For tests: {@code clock} in nanoseconds, like {@link System#nanoTime()}. */
    ThrottledWarning(Logger log, Duration interval, LongSupplier clock) {
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("interval must be positive");
        }
        this.log = log;
        this.intervalNanos = interval.toNanos();
        this.clock = clock;
    }

    /**
     * Writes {@code message} at WARN unless a line was written less than the interval ago; then it is only counted.
     *
     * @param format  a {@link String#format} pattern
     * @param params  its arguments
     * @return {@code true} when the line was written
     */
    public boolean warn(String format, Object... params) {
        long now = clock.getAsLong();
        long next = nextAt.get();
        if ((next != Long.MIN_VALUE && now - next < 0) || !nextAt.compareAndSet(next, now + intervalNanos)) {
            suppressed.incrementAndGet();
            return false;
        }
        long left = suppressed.getAndSet(0);
        String message = String.format(format, params);
        log.warn(left == 0 ? message : message + " (" + left + " more like it since the previous line)");
        return true;
    }
}
