package dev.switchboard.registry.config;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.spi.Converter;

/**
 * Reads a duration the way existing registry deployments write it: a bare number is milliseconds
 * ({@code 30000}); a number with a unit ({@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h}) or an ISO-8601
 * duration ({@code PT30S}) is taken as written.
 */
public class MillisOrDurationConverter implements Converter<Duration> {

    private static final Pattern WITH_UNIT = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)?");

    /**
     * @throws IllegalArgumentException if the value is neither a number, a number with a unit nor ISO-8601
     */
    @Override
    public Duration convert(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String trimmed = value.trim().toLowerCase(Locale.ROOT);
        Matcher m = WITH_UNIT.matcher(trimmed);
        if (m.matches()) {
            long amount = Long.parseLong(m.group(1));
            String unit = m.group(2) == null ? "ms" : m.group(2);
            return switch (unit) {
                case "ms" -> Duration.ofMillis(amount);
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                default -> Duration.ofDays(amount);
            };
        }
        try {
            return Duration.parse(value.trim().toUpperCase(Locale.ROOT));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("Not a duration: '" + value + "' (use 30000, 30s or PT30S)", e);
        }
    }
}
