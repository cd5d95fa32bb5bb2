package dev.switchboard.supervisor.agent;

import dev.switchboard.common.problem.ProblemException;
import dev.switchboard.supervisor.config.SupervisorConfig;
import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;
import io.smallrye.faulttolerance.api.TypedGuard;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.util.TypeLiteral;
import java.net.URI;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;
import org.jboss.logging.Logger;

/**
 * Calls {@code remote} agents over HTTP ({@code POST <endpoint>} with
 * {@code {"message","session_id","user_id","history"}}, reply {@code {"reply"}}). Each endpoint has its own REST
 * client and its own fault-tolerance guard (timeout per attempt, retries, circuit breaker), so one failing agent
 * never opens the breaker of another. Full A2A is a later step.
 */
@ApplicationScoped
public class RemoteAgentClient {

    private static final Logger LOG = Logger.getLogger(RemoteAgentClient.class);

    private final Duration attemptTimeout;
    private final int retries;
    private final Map<String, RemoteAgentRestClient> clients = new ConcurrentHashMap<>();
    private final Map<String, TypedGuard<Uni<String>>> guards = new ConcurrentHashMap<>();

    /** CDI constructor. */
    public RemoteAgentClient(SupervisorConfig config) {
        this.attemptTimeout = config.llm().remoteTimeout();
        this.retries = config.llm().remoteRetries();
    }

    /**
     * Sends one turn to a remote agent.
     *
     * @param request the turn; {@code request.agent().endpoint()} must be an absolute http(s) URL
     * @return the reply text; fails with {@link AgentTimeoutException} (504) when attempts time out and
     *         {@link AgentExecutionException} (502) on any other failure, an open breaker or an empty reply
     */
    public Uni<String> send(AgentRequest request) {
        String agent = request.agent().name();
        String endpoint = request.agent().endpoint();
        URI uri;
        try {
            uri = URI.create(endpoint == null ? "" : endpoint.strip());
        } catch (IllegalArgumentException e) {
            uri = null;
        }
        if (uri == null || uri.getHost() == null || !List.of("http", "https").contains(uri.getScheme())) {
            return Uni.createFrom().failure(new AgentExecutionException(agent,
                    "Agent '" + agent + "' has no valid endpoint", null));
        }
        URI target = uri;
        RemoteAgentRestClient client = clients.computeIfAbsent(endpoint, e -> build(target));
        TypedGuard<Uni<String>> guard = guards.computeIfAbsent(endpoint, this::guard);
        RemoteAgentRestClient.Payload payload = new RemoteAgentRestClient.Payload(request.message(),
                request.sessionId(), request.userId(),
                request.history() == null ? List.of() : request.history().stream()
                        .map(h -> new RemoteAgentRestClient.HistoryEntry(h.role(), h.content())).toList());
        return guard.get(() -> client.send(payload).map(reply -> {
            if (reply == null || reply.reply() == null) {
                throw new IllegalStateException("remote agent answered without a reply");
            }
            return reply.reply();
        }))
                .onFailure(e -> !(e instanceof ProblemException)).transform(e -> {
                    LOG.warnf("Remote agent %s failed (session %s): %s", agent, request.sessionId(), e.toString());
                    if (e instanceof TimeoutException) {
                        return new AgentTimeoutException(agent, attemptTimeout);
                    }
                    if (e instanceof CircuitBreakerOpenException) {
                        return new AgentExecutionException(agent,
                                "Agent '" + agent + "' is temporarily unavailable; please retry later", e);
                    }
                    return new AgentExecutionException(agent, e);
                });
    }

    private RemoteAgentRestClient build(URI endpoint) {
        return QuarkusRestClientBuilder.newBuilder()
                .baseUri(endpoint)
                .connectTimeout(Math.min(attemptTimeout.toMillis(), 5000), TimeUnit.MILLISECONDS)
                .readTimeout(attemptTimeout.toMillis(), TimeUnit.MILLISECONDS)
                .build(RemoteAgentRestClient.class);
    }

    private TypedGuard<Uni<String>> guard(String endpoint) {
        return TypedGuard.create(new TypeLiteral<Uni<String>>() {
        })
                .withDescription("remote-agent " + endpoint)
                .withTimeout().duration(attemptTimeout.toMillis(), ChronoUnit.MILLIS).done()
                .withRetry().maxRetries(retries).delay(200, ChronoUnit.MILLIS)
                .abortOn(CircuitBreakerOpenException.class).done()
                .withCircuitBreaker().requestVolumeThreshold(10).failureRatio(0.5)
                .delay(30, ChronoUnit.SECONDS).done()
                .build();
    }
}
