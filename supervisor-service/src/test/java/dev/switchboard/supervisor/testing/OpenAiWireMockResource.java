package dev.switchboard.supervisor.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * A fake OpenAI-compatible endpoint for {@code @QuarkusTest}s: starts one WireMock server on a random port and
 * points quarkus-langchain4j-openai at it ({@code base-url} {@code http://127.0.0.1:<port>/v1/}, a test API key),
 * so an LLM counts as configured and the real OpenAI client code runs. Chat completions arrive at
 * {@link #CHAT_COMPLETIONS}; the static helpers build OpenAI-format response bodies.
 *
 * <p>Use it on every {@code @QuarkusTest} together with the infrastructure resource, so Quarkus boots once:
 * <pre>{@code
 * @QuarkusTest
 * @QuarkusTestResource(value = InfrastructureTestResource.class, restrictToAnnotatedClass = false)
 * @QuarkusTestResource(value = OpenAiWireMockResource.class, restrictToAnnotatedClass = false)
 * class ChatResourceTest {
 *     @InjectWireMock
 *     WireMockServer openAi;   // or OpenAiWireMockResource.server()
 *
 *     @BeforeEach
 *     void resetStubs() { openAi.resetAll(); }
 * }
 * }</pre>
 * The server is shared by all test classes: reset it in {@code @BeforeEach} and match requests on something
 * unique to the test (e.g. a UUID in the user message) when counting them.
 */
public class OpenAiWireMockResource implements QuarkusTestResourceLifecycleManager {

    /** Path of chat completions on the fake server. */
    public static final String CHAT_COMPLETIONS = "/v1/chat/completions";
    /** The API key the client is configured with. */
    public static final String API_KEY = "sk-test-switchboard";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static volatile WireMockServer server;

    private WireMockServer own;

    @Override
    public Map<String, String> start() {
        own = new WireMockServer(WireMockConfiguration.options().dynamicPort().bindAddress("127.0.0.1"));
        own.start();
        server = own;
        return Map.of(
                "quarkus.langchain4j.openai.base-url",
                own.baseUrl() + "/v1/",
                "quarkus.langchain4j.openai.api-key",
                API_KEY);
    }

    @Override
    public void inject(TestInjector testInjector) {
        testInjector.injectIntoFields(
                own, new TestInjector.AnnotatedAndMatchesType(InjectWireMock.class, WireMockServer.class));
    }

    @Override
    public void stop() {
        if (own != null) {
            own.stop();
        }
    }

    /** @return the running server (the same one {@link InjectWireMock} fields receive) */
    public static WireMockServer server() {
        return server;
    }

    /**
     * A {@code chat.completion} body with a text answer ({@code finish_reason: stop}).
     *
     * @param content the assistant's text
     * @return JSON
     */
    public static String textCompletion(String content) {
        ObjectNode message = JSON.createObjectNode().put("role", "assistant").put("content", content);
        return completion(message, "stop");
    }

    /**
     * A {@code chat.completion} body asking for one tool call ({@code finish_reason: tool_calls}).
     *
     * @param callId        the tool call id, e.g. {@code call_1}
     * @param toolName      the function name, e.g. {@code check_availability}
     * @param argumentsJson the function arguments as a JSON string, e.g. {@code {"start_date":"2030-01-07"}}
     * @return JSON
     */
    public static String toolCallCompletion(String callId, String toolName, String argumentsJson) {
        ObjectNode message = JSON.createObjectNode().put("role", "assistant");
        message.putNull("content");
        ArrayNode calls = message.putArray("tool_calls");
        ObjectNode call = calls.addObject().put("id", callId).put("type", "function");
        call.putObject("function").put("name", toolName).put("arguments", argumentsJson);
        return completion(message, "tool_calls");
    }

    private static String completion(ObjectNode message, String finishReason) {
        ObjectNode root = JSON.createObjectNode()
                .put("id", "chatcmpl-test")
                .put("object", "chat.completion")
                .put("created", 1_700_000_000L)
                .put("model", "gpt-4o-mini");
        ObjectNode choice = root.putArray("choices").addObject().put("index", 0);
        choice.set("message", message);
        choice.put("finish_reason", finishReason);
        root.putObject("usage")
                .put("prompt_tokens", 42)
                .put("completion_tokens", 7)
                .put("total_tokens", 49);
        return root.toString();
    }
}
