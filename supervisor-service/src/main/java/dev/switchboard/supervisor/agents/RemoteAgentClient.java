package dev.switchboard.supervisor.agents;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.common.json.JacksonCustomizer;
import dev.switchboard.supervisor.config.SupervisorConfig;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.smallrye.mutiny.subscription.UniEmitter;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.jboss.logging.Logger;

/**
 * Calls {@code remote} agents: {@code POST <endpoint>} with
 * {@code {"message","session_id","user_id","history":[{"role","content"}],"state":{}}}, reply
 * {@code {"reply","state_patch"?}} (the README's contract). {@link RemoteAgentExecutor} runs each call under the
 * agent version's own guard ({@link AgentGuards}: timeout, retry when never delivered, circuit breaker), so one
 * failing agent never opens the breaker of another.
 *
 * <p>A remote agent is a third party: its answer is read with a cap ({@code AGENT_RESPONSE_MAX_BYTES}, checked on
 * {@code Content-Length} and again while the body streams in, the connection closed once over it), so one agent
 * cannot exhaust the supervisor's memory; and it is parsed as third-party text, with U+FFFD in place of what
 * PostgreSQL cannot store, since the agent cannot be asked to answer again.
 */
@ApplicationScoped
public class RemoteAgentClient {

    private static final Logger LOG = Logger.getLogger(RemoteAgentClient.class);
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};
    /** Answers larger than this are parsed on a worker thread, not on the event loop. */
    private static final int PARSE_ON_WORKER_BYTES = 64 * 1024;

    private final ObjectMapper json;
    private final HttpClient http;
    private final long maxResponseBytes;
    private final long idleTimeoutMillis;

    /** CDI constructor. */
    public RemoteAgentClient(AgentGuards guards, ObjectMapper mapper, Vertx vertx, SupervisorConfig config) {
        this.json = JacksonCustomizer.forThirdPartyText(mapper);
        this.maxResponseBytes = config.agentOutput().responseMaxBytes().asLongValue();
        this.idleTimeoutMillis = guards.attemptTimeout().toMillis();
        this.http = vertx.createHttpClient(new HttpClientOptions()
                .setConnectTimeout((int) Math.min(idleTimeoutMillis, 5000))
                .setMaxPoolSize(50)
                .setKeepAlive(true));
    }

    @PreDestroy
    void close() {
        http.close();
    }

    /**
     * One attempt: POSTs the turn to a {@code remote} agent, reads at most {@code AGENT_RESPONSE_MAX_BYTES} of the
     * answer and parses it as third-party text. Run it under the agent's guard ({@link AgentGuards#callRemote}).
     *
     * @return the reply with the agent's state patch, if any; fails on a non-2xx answer, an answer over the cap, a
     *         body that is not the contract's JSON or an empty reply
     */
    public Uni<AgentReply> post(URI endpoint, AgentRequest request) {
        Payload payload = new Payload(
                request.message(),
                request.sessionId(),
                request.userId(),
                request.history() == null
                        ? List.of()
                        : request.history().stream()
                                .map(h -> new HistoryEntry(h.role(), h.content()))
                                .toList(),
                request.state() == null ? Map.of() : request.state());
        Buffer body;
        try {
            body = Buffer.buffer(json.writeValueAsBytes(payload));
        } catch (JsonProcessingException e) {
            return Uni.createFrom().failure(e);
        }
        RequestOptions options = new RequestOptions()
                .setMethod(HttpMethod.POST)
                .setAbsoluteURI(endpoint.toString())
                .putHeader("Content-Type", "application/json")
                .putHeader("Accept", "application/json")
                .setIdleTimeout(idleTimeoutMillis);
        String agent = request.agent().name();
        return Uni.createFrom()
                .<Answer>emitter(emitter -> send(options, body, agent, emitter))
                .chain(answer -> answer.body().length > PARSE_ON_WORKER_BYTES
                        ? Uni.createFrom()
                                .item(() -> parse(answer))
                                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                        : Uni.createFrom().item(() -> parse(answer)));
    }

    private void send(RequestOptions options, Buffer body, String agent, UniEmitter<? super Answer> emitter) {
        AtomicReference<HttpClientRequest> sent = new AtomicReference<>();
        AtomicBoolean finished = new AtomicBoolean();
        // the guard's timeout cancels the attempt: close the connection rather than read an answer nobody waits for
        emitter.onTermination(() -> {
            if (finished.compareAndSet(false, true) && sent.get() != null) {
                sent.get().reset();
            }
        });
        http.request(options).onFailure(emitter::fail).onSuccess(req -> {
            sent.set(req);
            req.send(body)
                    .onFailure(e -> {
                        if (finished.compareAndSet(false, true)) {
                            emitter.fail(e);
                        }
                    })
                    .onSuccess(response -> read(response, agent, finished, emitter));
        });
    }

    /** Reads the body up to the cap; over it, the connection is closed and the attempt fails. */
    private void read(
            HttpClientResponse response, String agent, AtomicBoolean finished, UniEmitter<? super Answer> emitter) {
        String length = response.getHeader("Content-Length");
        if (length != null && parseLength(length) > maxResponseBytes) {
            tooLarge(response, agent, finished, emitter);
            return;
        }
        Buffer received = Buffer.buffer();
        response.handler(chunk -> {
            if (finished.get()) {
                return;
            }
            if (received.length() + (long) chunk.length() > maxResponseBytes) {
                tooLarge(response, agent, finished, emitter);
            } else {
                received.appendBuffer(chunk);
            }
        });
        response.exceptionHandler(e -> {
            if (finished.compareAndSet(false, true)) {
                emitter.fail(e);
            }
        });
        response.endHandler(v -> {
            if (finished.compareAndSet(false, true)) {
                emitter.complete(new Answer(response.statusCode(), received.getBytes()));
            }
        });
    }

    private void tooLarge(
            HttpClientResponse response, String agent, AtomicBoolean finished, UniEmitter<? super Answer> emitter) {
        if (finished.compareAndSet(false, true)) {
            response.request().reset();
            emitter.fail(new AgentExecutionException(
                    agent,
                    "Agent '" + agent + "' answered more than " + maxResponseBytes
                            + " bytes (AGENT_RESPONSE_MAX_BYTES); the answer was not read",
                    null));
        }
    }

    private AgentReply parse(Answer answer) {
        if (answer.status() < 200 || answer.status() >= 300) {
            throw new IllegalStateException("remote agent answered HTTP " + answer.status());
        }
        Reply reply;
        try {
            reply = json.readValue(answer.body(), Reply.class);
        } catch (IOException e) {
            throw new IllegalStateException("remote agent answered with a body that is not the reply JSON", e);
        }
        if (reply == null || reply.reply() == null) {
            throw new IllegalStateException("remote agent answered without a reply");
        }
        Map<String, Object> patch = null;
        if (reply.statePatch() != null && !reply.statePatch().isNull()) {
            if (reply.statePatch().isObject()) {
                patch = json.convertValue(reply.statePatch(), MAP);
            } else {
                LOG.warnf("Remote agent answered a state_patch that is not a JSON object; ignored");
            }
        }
        return new AgentReply(reply.reply(), List.of(), 0, 0, patch);
    }

    private static long parseLength(String header) {
        try {
            return Long.parseLong(header.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** The status and raw body of a remote agent's answer. */
    private record Answer(int status, byte[] body) {}

    /**
     * The request body: {@code {"message","session_id","user_id","history":[{"role","content"}],"state":{}}}.
     *
     * @param message   the user's message
     * @param sessionId the session id
     * @param userId    the user id, may be {@code null}
     * @param history   earlier messages, oldest first
     * @param state     the session's state (free-form JSON object)
     */
    record Payload(
            String message, String sessionId, String userId, List<HistoryEntry> history, Map<String, Object> state) {}

    /**
     * One earlier message.
     *
     * @param role    {@code user} or {@code assistant}
     * @param content the text
     */
    record HistoryEntry(String role, String content) {}

    /**
     * The response body {@code {"reply": "...", "state_patch": {...}}}.
     *
     * @param reply      the agent's answer
     * @param statePatch optional JSON merge patch of the session state
     */
    record Reply(String reply, JsonNode statePatch) {}
}
