package dev.switchboard.registry.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class MillisOrDurationConverterTest {

    private final MillisOrDurationConverter converter = new MillisOrDurationConverter();

    @Test
    void readsBareNumbersAsMilliseconds() {
        assertEquals(Duration.ofSeconds(30), converter.convert("30000"));
        assertEquals(Duration.ofSeconds(10), converter.convert("10000"));
    }

    @Test
    void readsUnitsAndIsoDurations() {
        assertEquals(Duration.ofMillis(500), converter.convert("500ms"));
        assertEquals(Duration.ofSeconds(30), converter.convert("30s"));
        assertEquals(Duration.ofMinutes(2), converter.convert("2m"));
        assertEquals(Duration.ofSeconds(45), converter.convert("PT45S"));
        assertEquals(Duration.ofSeconds(45), converter.convert("pt45s"));
    }

    @Test
    void rejectsGarbage() {
        assertThrows(IllegalArgumentException.class, () -> converter.convert("soon"));
    }
}
