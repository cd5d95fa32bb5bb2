package dev.switchboard.supervisor.agents;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.langchain4j.model.chat.ChatModel;
import dev.switchboard.common.problem.ProblemException;
import dev.switchboard.supervisor.routing.LlmRouter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** The 503 path with no LLM configured, without booting Quarkus (the "configured" decision is injected). */
class LlmAgentExecutorWithoutLlmTest {

    private static final Supplier<ChatModel> NO_MODEL = () -> {
        throw new AssertionError("the model must not be called without an LLM");
    };

    @Test
    void llmAgentAnswers503NamingTheAgent() {
        LlmAgentExecutor executor =
                new LlmAgentExecutor(NO_MODEL, new LlmAvailability(false), null, 5, Duration.ofSeconds(5));
        AgentDescriptor agent = new AgentDescriptor(
                "calendar_checker_agent",
                "Checks the calendar",
                List.of(),
                "1.0.0",
                "active",
                "llm",
                "calendar-checker-system",
                null,
                List.of("check_availability"),
                null,
                List.of(),
                Map.of(),
                false);

        Throwable failure = assertThrows(
                RuntimeException.class,
                () -> executor.execute(
                                new AgentRequest(agent, "s-1", "u-1", "Am I free?", List.of(), "You check calendars."))
                        .await()
                        .atMost(Duration.ofSeconds(5)));

        LlmNotConfiguredException problem = assertInstanceOf(LlmNotConfiguredException.class, failure);
        assertEquals(503, problem.status());
        assertEquals("https://switchboard.dev/problems/llm-not-configured", problem.type());
        assertEquals(
                "Agent 'calendar_checker_agent' needs an LLM, but none is configured "
                        + "(set OPENAI_BASE_URL and/or OPENAI_API_KEY)",
                problem.getMessage());
    }

    @Test
    void agentWithoutKindIsTreatedAsLlmAgent() {
        AgentExecutors executor = new AgentExecutors(
                List.of(new LlmAgentExecutor(NO_MODEL, new LlmAvailability(false), null, 5, Duration.ofSeconds(5))),
                new AgentExecutionMetrics(new SimpleMeterRegistry()));
        AgentDescriptor agent = new AgentDescriptor(
                "general_assistant_agent",
                "",
                List.of(),
                "1",
                "active",
                null,
                null,
                null,
                List.of(),
                null,
                List.of(),
                Map.of(),
                true);

        ProblemException problem = assertInstanceOf(
                ProblemException.class,
                assertThrows(
                        RuntimeException.class,
                        () -> executor.execute(new AgentRequest(agent, "s", null, "hi", null, null))
                                .await()
                                .indefinitely()));
        assertEquals(503, problem.status());
        assertTrue(problem.getMessage().contains("'general_assistant_agent'"));
    }

    @Test
    void llmRouterStaysSilentWithoutLlm() {
        LlmRouter router = new LlmRouter(NO_MODEL, new LlmAvailability(false), Duration.ofSeconds(5));

        assertEquals(
                Optional.empty(),
                router.chooseAgent("Pick one", Set.of("a", "b")).await().indefinitely());
    }
}
