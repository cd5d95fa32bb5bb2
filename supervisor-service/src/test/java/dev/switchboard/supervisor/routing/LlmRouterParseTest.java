package dev.switchboard.supervisor.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LlmRouterParseTest {

    private static final Set<String> AGENTS = Set.of(
            "calendar_checker_agent",
            "appointment_booking_agent",
            "lead_qualification_agent",
            "general_assistant_agent");

    @Test
    void acceptsTheBareName() {
        assertEquals(Optional.of("calendar_checker_agent"), LlmRouter.parseAgentName("calendar_checker_agent", AGENTS));
    }

    @Test
    void toleratesQuotesPunctuationCaseAndSpaces() {
        assertEquals(
                Optional.of("calendar_checker_agent"),
                LlmRouter.parseAgentName("  \"Calendar_Checker_Agent\".\n", AGENTS));
        assertEquals(
                Optional.of("appointment_booking_agent"),
                LlmRouter.parseAgentName("`appointment_booking_agent`", AGENTS));
        assertEquals(
                Optional.of("lead_qualification_agent"), LlmRouter.parseAgentName("Lead Qualification Agent", AGENTS));
    }

    @Test
    void findsTheSingleNameInASentence() {
        assertEquals(
                Optional.of("general_assistant_agent"),
                LlmRouter.parseAgentName("The best agent is general_assistant_agent.", AGENTS));
    }

    @Test
    void emptyWhenNoOrSeveralKnownNames() {
        assertEquals(Optional.empty(), LlmRouter.parseAgentName("weather_agent", AGENTS));
        assertEquals(Optional.empty(), LlmRouter.parseAgentName("", AGENTS));
        assertEquals(Optional.empty(), LlmRouter.parseAgentName(null, AGENTS));
        assertEquals(
                Optional.empty(),
                LlmRouter.parseAgentName("calendar_checker_agent or appointment_booking_agent", AGENTS));
    }

    @Test
    void doesNotMatchANameInsideALongerName() {
        assertEquals(Optional.empty(), LlmRouter.parseAgentName("calendar_checker_agent_v2", AGENTS));
    }
}
