package dev.switchboard.supervisor.agents;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class LlmAvailabilityTest {

    private static final Optional<String> OPENAI = Optional.of("https://api.openai.com/v1/");

    @Test
    void notConfiguredWithPlaceholderKeyAndDefaultBaseUrl() {
        assertFalse(LlmAvailability.decide(Optional.empty(), Optional.of("not-configured"), OPENAI));
        assertFalse(LlmAvailability.decide(Optional.empty(), Optional.of("dummy"), OPENAI));
        assertFalse(
                LlmAvailability.decide(Optional.empty(), Optional.of("  "), Optional.of("https://api.openai.com/v1")));
        assertFalse(LlmAvailability.decide(Optional.empty(), Optional.empty(), Optional.empty()));
    }

    @Test
    void configuredWithRealApiKey() {
        assertTrue(LlmAvailability.decide(Optional.empty(), Optional.of("sk-abc"), OPENAI));
    }

    @Test
    void configuredWithCustomBaseUrlAndNoKey() {
        assertTrue(LlmAvailability.decide(
                Optional.empty(), Optional.of("not-configured"), Optional.of("http://localhost:11434/v1/")));
    }

    @Test
    void explicitOverrideWins() {
        assertFalse(LlmAvailability.decide(Optional.of(false), Optional.of("sk-abc"), OPENAI));
        assertTrue(LlmAvailability.decide(Optional.of(true), Optional.of("not-configured"), OPENAI));
    }
}
