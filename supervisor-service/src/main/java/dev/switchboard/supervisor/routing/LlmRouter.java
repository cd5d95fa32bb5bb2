package dev.switchboard.supervisor.routing;

import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.switchboard.supervisor.agents.LlmAvailability;
import dev.switchboard.supervisor.peers.FaultToleranceConfig;
import io.smallrye.faulttolerance.api.TypedGuard;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.util.TypeLiteral;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * Asks the chat model which agent should take a message, for messages the semantic router is unsure about. The
 * caller renders prompt-service's {@code router-intent-classification} prompt (variables {@code message} and
 * {@code agents}) and passes it here as the system message. The call is under the LLM's policy: a SmallRye Fault
 * Tolerance guard with the time limit {@code supervisor.fault-tolerance.llm.timeout}; the OpenAI client repeats a
 * failed request itself.
 */
@ApplicationScoped
public class LlmRouter {

    private static final Logger LOG = Logger.getLogger(LlmRouter.class);
    /** The question sent as the user message after the rendered router prompt. */
    static final String QUESTION = "Which agent should handle the message? Answer with the agent name only.";

    private static final String EDGE = "[\\s\"'`*.,:;!?()\\[\\]{}<>]+";

    private final Supplier<ChatModel> chatModel;
    private final LlmAvailability llm;
    /** The LLM policy's guard of a routing call; {@code null} without an LLM. */
    private final TypedGuard<Uni<String>> guard;

    /** CDI constructor. */
    @Inject
    public LlmRouter(ChatModel chatModel, LlmAvailability llm, FaultToleranceConfig config) {
        this(() -> chatModel, llm, config.llm().timeout());
    }

    /**
     * Constructor for tests and manual wiring.
     *
     * @param chatModel supplies the model
     * @param llm       whether an LLM is configured
     * @param timeout   time limit of the routing call
     */
    public LlmRouter(Supplier<ChatModel> chatModel, LlmAvailability llm, Duration timeout) {
        this.chatModel = chatModel;
        this.llm = llm;
        // without an LLM the router never asks the model
        this.guard = !llm.isConfigured()
                ? null
                : TypedGuard.create(new TypeLiteral<Uni<String>>() {})
                        .withDescription("llm:route")
                        .withTimeout()
                        .duration(timeout.toMillis(), ChronoUnit.MILLIS)
                        .done()
                        .build();
    }

    /**
     * Lets the model pick an agent. Never fails: any problem yields an empty result, so the caller falls back to
     * the default agent.
     *
     * @param renderedRouterPrompt the rendered {@code router-intent-classification} prompt
     * @param agentNames           the names the model may choose from
     * @return one of {@code agentNames}; empty when no LLM is configured, the call fails or times out, or the
     *         answer names no (or more than one) known agent
     */
    public Uni<Optional<String>> chooseAgent(String renderedRouterPrompt, Set<String> agentNames) {
        if (!llm.isConfigured() || agentNames == null || agentNames.isEmpty() || renderedRouterPrompt == null) {
            return Uni.createFrom().item(Optional.empty());
        }
        return guard.get(() -> Uni.createFrom()
                        .item(() -> ask(renderedRouterPrompt))
                        .runSubscriptionOn(Infrastructure.getDefaultWorkerPool()))
                .map(answer -> {
                    Optional<String> choice = parseAgentName(answer, agentNames);
                    if (choice.isEmpty()) {
                        LOG.infof("LLM router answer named no known agent");
                    }
                    return choice;
                })
                .onFailure()
                .recoverWithItem(e -> {
                    LOG.warnf("LLM router call failed: %s", e.toString());
                    return Optional.empty();
                });
    }

    private String ask(String systemPrompt) {
        ChatResponse response = chatModel
                .get()
                .chat(ChatRequest.builder()
                        .messages(SystemMessage.from(systemPrompt), UserMessage.from(QUESTION))
                        .parameters(ChatRequestParameters.builder()
                                .temperature(0.0)
                                .maxOutputTokens(30)
                                .build())
                        .build());
        return response.aiMessage() == null ? null : response.aiMessage().text();
    }

    /**
     * Reads an agent name out of a model answer: the whole answer (ignoring surrounding quotes, backticks,
     * punctuation and case, and spaces/hyphens in place of underscores), else the single known name that occurs as
     * a whole word in it.
     *
     * @param answer the model's answer, may be {@code null}
     * @param names  the known agent names
     * @return the matching name as spelled in {@code names}, or empty when none or several match
     */
    public static Optional<String> parseAgentName(String answer, Set<String> names) {
        if (answer == null || names == null || names.isEmpty()) {
            return Optional.empty();
        }
        String cleaned = answer.strip().replaceAll("^" + EDGE, "").replaceAll(EDGE + "$", "");
        for (String candidate : List.of(cleaned, cleaned.replaceAll("[\\s-]+", "_"))) {
            for (String name : names) {
                if (name.equalsIgnoreCase(candidate)) {
                    return Optional.of(name);
                }
            }
        }
        String lower = answer.toLowerCase(Locale.ROOT);
        List<String> found = new ArrayList<>();
        for (String name : names) {
            Pattern word = Pattern.compile(
                    "(?<![a-z0-9_-])" + Pattern.quote(name.toLowerCase(Locale.ROOT)) + "(?![a-z0-9_-])");
            if (word.matcher(lower).find()) {
                found.add(name);
            }
        }
        return found.size() == 1 ? Optional.of(found.get(0)) : Optional.empty();
    }
}
