package dev.switchboard.supervisor.agents;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.request.DefaultChatRequestParameters;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.TokenUsage;
import dev.switchboard.common.problem.ProblemException;
import dev.switchboard.supervisor.agents.AgentReply.ToolCallRecord;
import dev.switchboard.supervisor.config.SupervisorConfig;
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
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;
import org.jboss.logging.Logger;

/**
 * Runs {@code llm} agents: calls the OpenAI-compatible chat model (quarkus-langchain4j) with the system prompt,
 * history, the user's message and the agent's tools, in a bounded tool loop.
 *
 * <p>The chat model is blocking, so the whole LLM turn (model calls and tool calls) runs on a worker thread, under
 * the LLM's policy: a SmallRye Fault Tolerance guard with the time limit {@code supervisor.fault-tolerance.llm.timeout}
 * ({@code LLM_TIMEOUT}); a failed model request is repeated by the OpenAI client itself
 * ({@code quarkus.langchain4j.openai.max-retries}), never the turn, whose tools may already have booked something. A
 * timed-out turn answers 504 at once; the worker finishes its current HTTP call in the background (the OpenAI
 * client's own timeout bounds it) and then stops without further model or tool calls.
 */
@ApplicationScoped
public class LlmAgentExecutor implements AgentExecutor {

    private static final Logger LOG = Logger.getLogger(LlmAgentExecutor.class);

    private final Supplier<ChatModel> chatModel;
    private final LlmAvailability llm;
    private final AgentToolRegistry tools;
    private final int maxToolRounds;
    private final Duration timeout;
    /** The LLM policy's guard of a turn; {@code null} without an LLM. */
    private final TypedGuard<Uni<AgentReply>> turnGuard;

    /** CDI constructor. */
    @Inject
    public LlmAgentExecutor(
            ChatModel chatModel,
            LlmAvailability llm,
            AgentToolRegistry tools,
            SupervisorConfig config,
            FaultToleranceConfig faultTolerance) {
        this(
                () -> chatModel,
                llm,
                tools,
                config.llm().maxToolRounds(),
                faultTolerance.llm().timeout());
    }

    /**
     * Constructor for tests and manual wiring.
     *
     * @param chatModel     supplies the model (only asked when an LLM agent runs with an LLM configured)
     * @param llm           whether an LLM is configured
     * @param tools         the tool registry
     * @param maxToolRounds most tool-call rounds per turn
     * @param timeout       time limit of one turn
     */
    public LlmAgentExecutor(
            Supplier<ChatModel> chatModel,
            LlmAvailability llm,
            AgentToolRegistry tools,
            int maxToolRounds,
            Duration timeout) {
        this.chatModel = chatModel;
        this.llm = llm;
        this.tools = tools;
        this.maxToolRounds = maxToolRounds;
        this.timeout = timeout;
        // without an LLM no turn is ever guarded (they fail at once with 503)
        this.turnGuard = !llm.isConfigured()
                ? null
                : TypedGuard.create(new TypeLiteral<Uni<AgentReply>>() {})
                        .withDescription("llm:turn")
                        .withTimeout()
                        .duration(timeout.toMillis(), ChronoUnit.MILLIS)
                        .done()
                        .build();
    }

    @Override
    public String kind() {
        return "llm";
    }

    /**
     * {@inheritDoc}
     *
     * <p>Fails with {@link LlmNotConfiguredException} (503) without an LLM,
     * {@link AgentTimeoutException} (504) past {@code supervisor.fault-tolerance.llm.timeout}, {@link AgentExecutionException}
     * (502) when the model fails (after the client's retries) or keeps calling tools past
     * {@code supervisor.llm.max-tool-rounds}. A failing tool does not fail the turn: the model gets an error text.
     */
    @Override
    public Uni<AgentReply> execute(AgentRequest request) {
        String agent = request.agent().name();
        if (!llm.isConfigured()) {
            return Uni.createFrom().failure(new LlmNotConfiguredException(agent));
        }
        AtomicBoolean abandoned = new AtomicBoolean();
        Uni<AgentReply> turn = Uni.createFrom()
                .item(() -> runToolLoop(request, abandoned))
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
        return turnGuard
                .get(() -> turn)
                // neither the guard's timeout nor a caller who leaves stops the worker: the loop checks this flag
                .onFailure()
                .invoke(() -> abandoned.set(true))
                .onCancellation()
                .invoke(() -> abandoned.set(true))
                .onFailure(e -> !(e instanceof ProblemException))
                .transform(e -> {
                    if (e instanceof TimeoutException) {
                        return new AgentTimeoutException(agent, timeout);
                    }
                    LOG.warnf("LLM agent %s failed (session %s): %s", agent, request.sessionId(), e.toString());
                    return new AgentExecutionException(agent, e);
                })
                .invoke(reply -> LOG.infof(
                        "Agent %s answered (session %s, %d tool calls, %d+%d tokens)",
                        agent,
                        request.sessionId(),
                        reply.toolCalls().size(),
                        reply.inputTokens(),
                        reply.outputTokens()));
    }

    /**
     * The blocking model/tool loop; runs on a worker thread. Stops before the next model or tool call once the
     * caller has given up ({@code abandoned}), so a timed-out turn books nothing afterwards.
     */
    private AgentReply runToolLoop(AgentRequest request, AtomicBoolean abandoned) {
        AgentDescriptor agent = request.agent();
        List<ChatMessage> messages = initialMessages(request);
        List<ToolSpecification> specs = tools.specificationsFor(agent.tools());
        Set<String> allowed = new HashSet<>();
        specs.forEach(s -> allowed.add(s.name()));
        ChatRequestParameters parameters = parameters(agent.model(), specs);
        ChatModel model = chatModel.get();
        List<ToolCallRecord> records = new ArrayList<>();
        int inputTokens = 0;
        int outputTokens = 0;
        for (int round = 0; ; round++) {
            if (abandoned.get()) {
                return new AgentReply("", List.copyOf(records), inputTokens, outputTokens); // dropped by Mutiny
            }
            ChatResponse response = model.chat(ChatRequest.builder()
                    .messages(messages)
                    .parameters(parameters)
                    .build());
            TokenUsage usage = response.tokenUsage();
            if (usage != null) {
                inputTokens += usage.inputTokenCount() == null ? 0 : usage.inputTokenCount();
                outputTokens += usage.outputTokenCount() == null ? 0 : usage.outputTokenCount();
            }
            AiMessage ai = response.aiMessage();
            if (ai == null || !ai.hasToolExecutionRequests()) {
                String text = ai == null || ai.text() == null ? "" : ai.text();
                return new AgentReply(text, List.copyOf(records), inputTokens, outputTokens);
            }
            if (round >= maxToolRounds) {
                throw new AgentExecutionException(
                        agent.name(),
                        "Agent '" + agent.name() + "' did not finish within " + maxToolRounds + " tool rounds",
                        null);
            }
            messages.add(ai);
            for (ToolExecutionRequest call : ai.toolExecutionRequests()) {
                if (abandoned.get()) {
                    return new AgentReply("", List.copyOf(records), inputTokens, outputTokens);
                }
                String result = tools.execute(call, allowed, request.sessionId(), toolCallKey(request, call, records));
                LOG.debugf("Agent %s called tool %s (session %s)", agent.name(), call.name(), request.sessionId());
                records.add(new ToolCallRecord(call.name(), call.arguments(), result));
                messages.add(ToolExecutionResultMessage.from(call, result));
            }
        }
    }

    /**
     * The key of a tool call's side effect: the turn, the tool and which of the turn's calls of that tool it is
     * ({@code <turn id>:book_appointment:1}). A turn run again under the same turn id (an idempotent request retried
     * after its first attempt died before storing the turn) gets the same keys for the same calls, so a booking
     * tool finds the booking made then instead of making a second one.
     *
     * @return the key, or {@code null} outside a stored turn
     */
    static String toolCallKey(AgentRequest request, ToolExecutionRequest call, List<ToolCallRecord> earlier) {
        if (request.turnId() == null) {
            return null;
        }
        long sameTool =
                earlier.stream().filter(r -> call.name().equals(r.name())).count();
        return request.turnId() + ":" + call.name() + ":" + (sameTool + 1);
    }

    private static List<ChatMessage> initialMessages(AgentRequest request) {
        List<ChatMessage> messages = new ArrayList<>();
        if (request.systemPrompt() != null && !request.systemPrompt().isBlank()) {
            messages.add(SystemMessage.from(request.systemPrompt()));
        }
        if (request.history() != null) {
            for (AgentRequest.HistoryMessage h : request.history()) {
                if (h.content() == null || h.content().isBlank()) {
                    continue;
                }
                if ("assistant".equals(h.role())) {
                    messages.add(AiMessage.from(h.content()));
                } else if ("user".equals(h.role())) {
                    messages.add(UserMessage.from(h.content()));
                }
            }
        }
        messages.add(UserMessage.from(request.message()));
        return messages;
    }

    /** Per-agent settings override the configured model's defaults only where set. */
    private static ChatRequestParameters parameters(
            AgentDescriptor.ModelSettings settings, List<ToolSpecification> specs) {
        DefaultChatRequestParameters.Builder<?> builder = ChatRequestParameters.builder();
        if (settings != null) {
            if (settings.name() != null && !settings.name().isBlank()) {
                builder.modelName(settings.name());
            }
            if (settings.temperature() != null) {
                builder.temperature(settings.temperature());
            }
            if (settings.maxTokens() != null) {
                builder.maxOutputTokens(settings.maxTokens());
            }
        }
        if (!specs.isEmpty()) {
            builder.toolSpecifications(specs);
        }
        return builder.build();
    }
}
