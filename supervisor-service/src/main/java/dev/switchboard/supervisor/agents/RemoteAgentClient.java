package dev.switchboard.supervisor.agents;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.common.json.JacksonCustomizer;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Calls {@code remote} agents: {@code POST <endpoint>} with
 * {@code {"message","session_id","user_id","history":[{"role","content"}],"state":{}}}, reply
 * {@code {"reply","state_patch"?}} (the README's contract). {@link RemoteAgentExecutor} runs each call under the
 * agent version's own guard ({@link AgentGuards}: timeout, retry when never delivered, circuit breaker), so one
 * failing agent never opens the breaker of another.
 *
 * <p>A remote agent is a third party: the call goes through {@link AgentHttpClient} (allowed addresses only, connect
 * and idle timeouts, no redirects, the answer read with the {@code AGENT_RESPONSE_MAX_BYTES} cap), and the answer is
 * parsed as third-party text, with U+FFFD in place of what PostgreSQL cannot store, since the agent cannot be asked
 * to answer again.
 */
@ApplicationScoped
public class RemoteAgentClient {

    private static final Logger LOG = Logger.getLogger(RemoteAgentClient.class);
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

    private final ObjectMapper json;
    private final AgentHttpClient http;

    /** CDI constructor. */
    public RemoteAgentClient(AgentHttpClient http, ObjectMapper mapper) {
        this.json = JacksonCustomizer.forThirdPartyText(mapper);
        this.http = http;
    }

    /**
     * One attempt: POSTs the turn to a {@code remote} agent through {@link AgentHttpClient} and parses the answer as
     * third-party text. Run it under the agent's guard ({@link AgentGuards#callRemote}).
     *
     * @return the reply with the agent's state patch, if any; fails as {@link AgentHttpClient#postJson} does, on a
     *         non-2xx answer, a body that is not the contract's JSON or an empty reply
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
        byte[] body;
        try {
            body = json.writeValueAsBytes(payload);
        } catch (JsonProcessingException e) {
            return Uni.createFrom().failure(e);
        }
        return http.postJson(endpoint, body, request.agent().name())
                .chain(answer -> AgentHttpClient.parse(answer, this::parse));
    }

    private AgentReply parse(AgentHttpClient.Answer answer) {
        if (!answer.successful()) {
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
