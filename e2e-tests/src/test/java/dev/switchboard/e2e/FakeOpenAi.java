package dev.switchboard.e2e;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * An OpenAI-compatible chat-completions endpoint in the test JVM (WireMock with a transformer): it answers
 * every request with {@code "re: <last user message>"} after a small delay, so the assistant message of a
 * turn can be matched to its user message and turns of one session overlap. Messages containing a marker
 * registered with {@link #slow(String, int)} are answered after that longer delay, and those containing a marker
 * registered with {@link #hold(String)} only once the test {@link #release(String) releases} them. It records which
 * user messages it has been asked about, so a test can wait until a turn is in flight.
 */
final class FakeOpenAi {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String NAME = "switchboard-fake-openai";
    /** Longest a held answer waits for its release: a test that fails half-way never blocks the fake for long. */
    private static final Duration HOLD_LIMIT = Duration.ofSeconds(60);

    private final WireMockServer server;
    private final int defaultDelayMs;
    private final Map<String, Integer> slowMarkers = new ConcurrentHashMap<>();
    private final Map<String, CountDownLatch> heldMarkers = new ConcurrentHashMap<>();
    private final Set<String> seen = ConcurrentHashMap.newKeySet();
    private final Map<String, String> systemPrompts = new ConcurrentHashMap<>();

    /** @param defaultDelayMs delay of every answer without a slow marker, milliseconds */
    FakeOpenAi(int defaultDelayMs) {
        this.defaultDelayMs = defaultDelayMs;
        this.server = new WireMockServer(options()
                .bindAddress("127.0.0.1")
                .dynamicPort()
                .containerThreads(80)
                .asynchronousResponseEnabled(true)
                .asynchronousResponseThreads(16)
                .extensions(new Transformer()));
    }

    FakeOpenAi start() {
        server.start();
        server.stubFor(post(urlPathEqualTo("/v1/chat/completions"))
                .willReturn(aResponse()
                        .withStatus(200)
                        .withHeader("Content-Type", "application/json")
                        .withTransformers(NAME)));
        return this;
    }

    void stop() {
        server.stop();
    }

    /** @return base URL for {@code OPENAI_BASE_URL} */
    String baseUrl() {
        return server.baseUrl() + "/v1/";
    }

    /** Answers user messages containing {@code marker} after {@code delayMs} instead of the default delay. */
    void slow(String marker, int delayMs) {
        slowMarkers.put(marker, delayMs);
    }

    /**
     * Holds the answers to user messages containing {@code marker} until {@link #release(String)} (at most
     * {@link #HOLD_LIMIT}): the model has been {@link #asked(String) asked}, its answer not yet sent.
     */
    void hold(String marker) {
        heldMarkers.put(marker, new CountDownLatch(1));
    }

    /** Sends the answers held for {@code marker} (those asked later are not held); harmless when none are. */
    void release(String marker) {
        CountDownLatch latch = heldMarkers.remove(marker);
        if (latch != null) {
            latch.countDown();
        }
    }

    /** @return whether the model has been asked to answer a user message equal to {@code message} */
    boolean asked(String message) {
        return seen.contains(message);
    }

    /** @return the system prompt the model got with the user message {@code message}, or {@code null} */
    String systemPromptFor(String message) {
        return systemPrompts.get(message);
    }

    /** @return the answer the fake model gives to {@code message} */
    static String answerTo(String message) {
        return "re: " + message;
    }

    private final class Transformer implements ResponseDefinitionTransformerV2 {

        @Override
        public ResponseDefinition transform(ServeEvent serveEvent) {
            String question = "";
            String system = null;
            try {
                JsonNode messages =
                        JSON.readTree(serveEvent.getRequest().getBodyAsString()).path("messages");
                for (JsonNode m : messages) {
                    if ("user".equals(m.path("role").asText())) {
                        question = m.path("content").asText();
                    } else if ("system".equals(m.path("role").asText())) {
                        system = m.path("content").asText();
                    }
                }
                if (system != null) {
                    systemPrompts.put(question, system);
                }
            } catch (Exception e) {
                return ResponseDefinitionBuilder.responseDefinition()
                        .withStatus(400)
                        .withBody("bad request")
                        .build();
            }
            seen.add(question);
            for (Map.Entry<String, CountDownLatch> held : heldMarkers.entrySet()) {
                if (question.contains(held.getKey())) {
                    awaitRelease(held.getValue());
                }
            }
            int delay = defaultDelayMs;
            for (Map.Entry<String, Integer> slowOne : slowMarkers.entrySet()) {
                if (question.contains(slowOne.getKey())) {
                    delay = slowOne.getValue();
                }
            }
            return ResponseDefinitionBuilder.responseDefinition()
                    .withStatus(200)
                    .withHeader("Content-Type", "application/json")
                    .withBody(completion(answerTo(question)))
                    .withFixedDelay(delay)
                    .build();
        }

        private static void awaitRelease(CountDownLatch latch) {
            try {
                latch.await(HOLD_LIMIT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public boolean applyGlobally() {
            return false;
        }

        @Override
        public String getName() {
            return NAME;
        }
    }

    /** An OpenAI {@code chat.completion} body whose message is the text {@code content}. */
    static String completion(String content) {
        try {
            return JSON.writeValueAsString(Map.of(
                    "id",
                    "chatcmpl-" + UUID.randomUUID(),
                    "object",
                    "chat.completion",
                    "created",
                    1_700_000_000,
                    "model",
                    "gpt-4o-mini",
                    "choices",
                    List.of(Map.of(
                            "index",
                            0,
                            "finish_reason",
                            "stop",
                            "message",
                            Map.of("role", "assistant", "content", content))),
                    "usage",
                    Map.of("prompt_tokens", 50, "completion_tokens", 12, "total_tokens", 62)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
