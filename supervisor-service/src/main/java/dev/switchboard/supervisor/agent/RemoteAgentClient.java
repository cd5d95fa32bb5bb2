package dev.switchboard.supervisor.agent;

import dev.switchboard.common.problem.ProblemException;
import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;
import org.jboss.logging.Logger;

/**
 * Calls agents that run elsewhere. {@code remote}: {@code POST <endpoint>} with
 * {@code {"message","session_id","user_id","history":[{"role","content"}],"state":{}}}, reply
 * {@code {"reply","state_patch"?}} (the README's contract). {@code a2a}: A2A {@code message/send} through
 * {@link A2aAgentClient}. Every call goes through the agent version's own guard ({@link AgentGuards}: timeout,
 * retry when never delivered, circuit breaker), so one failing agent never opens the breaker of another.
 */
@ApplicationScoped
public class RemoteAgentClient {

    private static final Logger LOG = Logger.getLogger(RemoteAgentClient.class);

    private final AgentGuards guards;
    private final A2aAgentClient a2a;
    private final Map<String, RemoteAgentRestClient> clients = new ConcurrentHashMap<>();

    /** CDI constructor. */
    public RemoteAgentClient(AgentGuards guards, A2aAgentClient a2a) {
        this.guards = guards;
        this.a2a = a2a;
    }

    /**
     * Sends one turn to a remote agent (plain HTTP) and returns its reply text.
     *
     * @see #execute(AgentRequest)
     */
    public Uni<String> send(AgentRequest request) {
        return execute(request).map(AgentReply::text);
    }

    /**
     * Sends one turn to a {@code remote} or {@code a2a} agent.
     *
     * @param request the turn; {@code request.agent().endpoint()} must be an absolute http(s) URL
     * @return the reply (with the agent's state patch, if any); fails with {@link AgentTimeoutException} (504) when
     *         the attempt times out and {@link AgentExecutionException} (502) on any other failure, an open breaker
     *         ({@code detail}: temporarily unavailable) or an empty reply
     */
    public Uni<AgentReply> execute(AgentRequest request) {
        String agent = request.agent().name();
        URI uri = endpoint(request.agent().endpoint());
        if (uri == null) {
            return Uni.createFrom().failure(new AgentExecutionException(agent,
                    "Agent '" + agent + "' has no valid endpoint", null));
        }
        boolean isA2a = "a2a".equals(request.agent().kind());
        return guards.call(request.agent(), () -> isA2a ? a2a.sendMessage(uri, request) : post(uri, request))
                .onFailure(e -> !(e instanceof ProblemException)).transform(e -> {
                    LOG.warnf("%s agent %s (version %s) failed (session %s): %s", isA2a ? "A2A" : "Remote", agent,
                            request.agent().version(), request.sessionId(), e.toString());
                    if (e instanceof TimeoutException) {
                        return new AgentTimeoutException(agent, guards.attemptTimeout());
                    }
                    if (e instanceof CircuitBreakerOpenException) {
                        return new AgentExecutionException(agent,
                                "Agent '" + agent + "' is temporarily unavailable; please retry later", e);
                    }
                    return new AgentExecutionException(agent, e);
                });
    }

    private Uni<AgentReply> post(URI endpoint, AgentRequest request) {
        RemoteAgentRestClient client = clients.computeIfAbsent(endpoint.toString(), e -> build(endpoint));
        RemoteAgentRestClient.Payload payload = new RemoteAgentRestClient.Payload(request.message(),
                request.sessionId(), request.userId(),
                request.history() == null ? List.of() : request.history().stream()
                        .map(h -> new RemoteAgentRestClient.HistoryEntry(h.role(), h.content())).toList(),
                request.state() == null ? Map.of() : request.state());
        return client.send(payload).map(reply -> {
            if (reply == null || reply.reply() == null) {
                throw new IllegalStateException("remote agent answered without a reply");
            }
            return new AgentReply(reply.reply(), List.of(), 0, 0, reply.statePatch());
        });
    }

    private static URI endpoint(String endpoint) {
        try {
            URI uri = URI.create(endpoint == null ? "" : endpoint.strip());
            return uri.getHost() != null && List.of("http", "https").contains(uri.getScheme()) ? uri : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private RemoteAgentRestClient build(URI endpoint) {
        long timeout = guards.attemptTimeout().toMillis();
        return QuarkusRestClientBuilder.newBuilder()
                .baseUri(endpoint)
                .connectTimeout(Math.min(timeout, 5000), TimeUnit.MILLISECONDS)
                .readTimeout(timeout, TimeUnit.MILLISECONDS)
                .build(RemoteAgentRestClient.class);
    }
}
