package dev.switchboard.supervisor.agents;

import dev.langchain4j.model.ModelProvider;
import dev.langchain4j.model.chat.listener.ChatModelErrorContext;
import dev.langchain4j.model.chat.listener.ChatModelListener;
import dev.langchain4j.model.chat.listener.ChatModelRequestContext;
import dev.langchain4j.model.chat.listener.ChatModelResponseContext;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.output.TokenUsage;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * LLM client metrics under the OpenTelemetry GenAI semantic-convention names, for every call of the chat model
 * (agents' tool loops and the LLM router alike — quarkus-langchain4j attaches every {@link ChatModelListener} bean to
 * the model): {@code gen_ai.client.operation.duration} (seconds; tags {@code gen_ai.operation.name=chat},
 * {@code gen_ai.system} (e.g. {@code openai}), {@code gen_ai.request.model}, {@code error.type} — empty on success,
 * the exception class on failure) and {@code gen_ai.client.token.usage} (tokens per call; same tags without
 * {@code error.type}, plus {@code gen_ai.token.type=input|output}), with the buckets the convention recommends.
 * Prometheus shows them as {@code gen_ai_client_operation_duration_seconds} and {@code gen_ai_client_token_usage}.
 * quarkus-langchain4j's own listener, which registers the same names with other tags, is excluded in
 * application.properties (Prometheus needs one tag set per name). Recording never fails a model call.
 */
@ApplicationScoped
public class GenAiChatModelListener implements ChatModelListener {

    /** {@code gen_ai.operation.name} of chat completions. */
    public static final String CHAT = "chat";

    private static final Logger LOG = Logger.getLogger(GenAiChatModelListener.class);
    private static final String START = GenAiChatModelListener.class.getName() + ".start";
    private static final Duration[] DURATION_BUCKETS = {
        Duration.ofMillis(10), Duration.ofMillis(20), Duration.ofMillis(40), Duration.ofMillis(80),
        Duration.ofMillis(160), Duration.ofMillis(320), Duration.ofMillis(640), Duration.ofMillis(1280),
        Duration.ofMillis(2560), Duration.ofMillis(5120), Duration.ofMillis(10240), Duration.ofMillis(20480),
        Duration.ofMillis(40960), Duration.ofMillis(81920)
    };
    private static final double[] TOKEN_BUCKETS = {
        1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864
    };

    private final MeterRegistry meters;

    GenAiChatModelListener(MeterRegistry meters) {
        this.meters = meters;
    }

    @Override
    public void onRequest(ChatModelRequestContext context) {
        context.attributes().put(START, System.nanoTime());
    }

    @Override
    public void onResponse(ChatModelResponseContext context) {
        try {
            String system = system(context.modelProvider());
            String model = requestModel(context.chatRequest());
            duration(context.attributes().get(START), system, model, "");
            TokenUsage usage = context.chatResponse() == null
                    ? null
                    : context.chatResponse().tokenUsage();
            if (usage != null) {
                tokens(system, model, "input", usage.inputTokenCount());
                tokens(system, model, "output", usage.outputTokenCount());
            }
        } catch (RuntimeException e) {
            LOG.debugf("Could not record GenAI metrics: %s", e.getMessage());
        }
    }

    @Override
    public void onError(ChatModelErrorContext context) {
        try {
            Throwable error = context.error();
            duration(
                    context.attributes().get(START),
                    system(context.modelProvider()),
                    requestModel(context.chatRequest()),
                    error == null ? "unknown" : error.getClass().getName());
        } catch (RuntimeException e) {
            LOG.debugf("Could not record GenAI metrics: %s", e.getMessage());
        }
    }

    private void duration(Object start, String system, String model, String errorType) {
        if (!(start instanceof Long startNanos)) {
            return;
        }
        Timer.builder("gen_ai.client.operation.duration")
                .description("GenAI operation duration")
                .tag("gen_ai.operation.name", CHAT)
                .tag("gen_ai.system", system)
                .tag("gen_ai.request.model", model)
                .tag("error.type", errorType)
                .serviceLevelObjectives(DURATION_BUCKETS)
                .register(meters)
                .record(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
    }

    private void tokens(String system, String model, String type, Integer count) {
        if (count == null) {
            return;
        }
        DistributionSummary.builder("gen_ai.client.token.usage")
                .description("Measures number of input and output tokens used")
                .tag("gen_ai.operation.name", CHAT)
                .tag("gen_ai.system", system)
                .tag("gen_ai.request.model", model)
                .tag("gen_ai.token.type", type)
                .serviceLevelObjectives(TOKEN_BUCKETS)
                .register(meters)
                .record(count);
    }

    private static String requestModel(ChatRequest request) {
        String model = request == null || request.parameters() == null
                ? null
                : request.parameters().modelName();
        return model == null || model.isBlank() ? "unknown" : model;
    }

    private static String system(ModelProvider provider) {
        if (provider == null) {
            return "unknown";
        }
        return provider == ModelProvider.OPEN_AI
                ? "openai"
                : provider.name().toLowerCase(Locale.ROOT).replace("_", "");
    }
}
