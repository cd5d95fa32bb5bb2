package dev.switchboard.supervisor.agents;

import com.github.benmanes.caffeine.cache.Caffeine;
import dev.switchboard.common.problem.ProblemException;
import dev.switchboard.supervisor.peers.FaultToleranceConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.faulttolerance.api.CircuitBreakerState;
import io.smallrye.faulttolerance.api.TypedGuard;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.util.TypeLiteral;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Supplier;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;
import org.jboss.logging.Logger;

/**
 * The remote agents' policy ({@code supervisor.fault-tolerance.remote-agents}): one SmallRye Fault Tolerance
 * {@link TypedGuard} per agent version ({@code name@version}), built on first use, with a timeout per attempt
 * ({@code REMOTE_AGENT_TIMEOUT}), retries with exponential backoff only when the request surely never reached the
 * agent (connection refused, unknown host — a turn is not idempotent, so timeouts and error answers are not repeated),
 * and a circuit breaker over the last {@code circuit-breaker.request-volume-threshold} calls (default: opens after 3
 * consecutive failures, failure ratio 1.0, for 30 s). Per-agent breakers need the programmatic API: one guard applied
 * to a method is one breaker for every agent. States are listed by {@link #breakers()}
 * ({@code GET /api/v1/system/circuit-breakers}) and exported as
 * {@code switchboard_agent_circuit_breaker_state{agent,version}} (0 closed, 1 half-open, 2 open).
 */
@ApplicationScoped
public class AgentGuards {

    private static final Logger LOG = Logger.getLogger(AgentGuards.class);

    private final FaultToleranceConfig.Policy policy;
    private final MeterRegistry meters;
    /**
     * Breakers kept, one per agent version: versions come from registrations, so a flood of made-up versions evicts
     * the least used breakers instead of growing memory (an evicted breaker starts closed when its version returns).
     */
    static final int MAX_BREAKERS = 1000;

    private final Map<String, Breaker> breakers = Caffeine.newBuilder()
            .maximumSize(MAX_BREAKERS)
            .<String, Breaker>build()
            .asMap();

    /** CDI constructor. */
    public AgentGuards(FaultToleranceConfig config, MeterRegistry meters) {
        this.policy = config.remoteAgents();
        this.meters = meters;
    }

    /**
     * One agent's breaker as shown by {@code GET /api/v1/system/circuit-breakers}.
     *
     * @param name            {@code agent:<name>@<version>}
     * @param agent           the agent name
     * @param version         the agent version
     * @param kind            {@code remote} or {@code a2a}
     * @param state           {@code closed}, {@code open} or {@code half_open}
     * @param failureThreshold calls of its window that must all have failed to open it (the window's size; with a
     *                        failure ratio below 1.0, the window over which the ratio is taken)
     * @param openSeconds     how long it stays open
     * @param calls           calls that reached the breaker
     * @param failures        failed calls
     * @param rejected        calls rejected while open
     * @param lastStateChange when the state last changed, {@code null} if never
     */
    public record BreakerStatus(
            String name,
            String agent,
            String version,
            String kind,
            String state,
            int failureThreshold,
            long openSeconds,
            long calls,
            long failures,
            long rejected,
            Instant lastStateChange) {}

    private final class Breaker {
        final String agent;
        final String version;
        final String kind;
        final AtomicReference<CircuitBreakerState> state = new AtomicReference<>(CircuitBreakerState.CLOSED);
        final AtomicReference<Instant> changed = new AtomicReference<>();
        final AtomicLong calls = new AtomicLong();
        final AtomicLong failures = new AtomicLong();
        final AtomicLong rejected = new AtomicLong();
        final TypedGuard<Uni<AgentReply>> guard;

        Breaker(AgentDescriptor agent) {
            this.agent = agent.name();
            this.version = agent.version() == null ? "unknown" : agent.version();
            this.kind = agent.kind();
            String name = "agent:" + this.agent + "@" + this.version;
            this.guard = TypedGuard.create(new TypeLiteral<Uni<AgentReply>>() {})
                    .withDescription(name)
                    .withTimeout()
                    .duration(policy.timeout().toMillis(), ChronoUnit.MILLIS)
                    .done()
                    .withRetry()
                    .maxRetries(policy.retry().maxRetries())
                    .delay(policy.retry().delay().toMillis(), ChronoUnit.MILLIS)
                    .jitter(policy.retry().jitter().toMillis(), ChronoUnit.MILLIS)
                    .withExponentialBackoff()
                    .factor(2)
                    .maxDelay(5, ChronoUnit.SECONDS)
                    .done()
                    .whenException(AgentGuards::neverReachedTheAgent)
                    .done()
                    .withCircuitBreaker()
                    .requestVolumeThreshold(policy.circuitBreaker().requestVolumeThreshold())
                    .failureRatio(policy.circuitBreaker().failureRatio())
                    .successThreshold(1)
                    .delay(policy.circuitBreaker().delay().toMillis(), ChronoUnit.MILLIS)
                    .onStateChange(this::changed)
                    .onSuccess(calls::incrementAndGet)
                    .onFailure(() -> {
                        calls.incrementAndGet();
                        failures.incrementAndGet();
                    })
                    .onPrevented(rejected::incrementAndGet)
                    .done()
                    .build();
            Gauge.builder("switchboard.agent.circuit.breaker.state", state, s -> switch (s.get()) {
                        case CLOSED -> 0;
                        case HALF_OPEN -> 1;
                        case OPEN -> 2;
                    })
                    .description("Circuit breaker of an agent version: 0 closed, 1 half-open, 2 open")
                    .tag("agent", this.agent)
                    .tag("version", this.version)
                    .register(meters);
        }

        void changed(CircuitBreakerState next) {
            state.set(next);
            changed.set(Instant.now());
            LOG.warnf("Circuit breaker of agent %s version %s is now %s", agent, version, wire(next));
            Counter.builder("switchboard.agent.circuit.breaker.transitions")
                    .description("Circuit breaker state changes of agent versions")
                    .tag("agent", agent)
                    .tag("state", wire(next))
                    .register(meters)
                    .increment();
        }

        BreakerStatus status() {
            return new BreakerStatus(
                    "agent:" + agent + "@" + version,
                    agent,
                    version,
                    kind,
                    wire(state.get()),
                    policy.circuitBreaker().requestVolumeThreshold(),
                    policy.circuitBreaker().delay().toSeconds(),
                    calls.get(),
                    failures.get(),
                    rejected.get(),
                    changed.get());
        }
    }

    /**
     * Runs {@code call} (one attempt) under the guard of {@code agent}'s version.
     *
     * @return the reply; fails with the FT exceptions ({@code TimeoutException}, {@link CircuitBreakerOpenException})
     *         or the call's own failure after the retries
     */
    public Uni<AgentReply> call(AgentDescriptor agent, Supplier<Uni<AgentReply>> call) {
        String key = agent.name() + "@" + (agent.version() == null ? "unknown" : agent.version());
        return breakers.computeIfAbsent(key, k -> new Breaker(agent)).guard.get(call);
    }

    /**
     * Runs one turn of an agent that lives elsewhere under its version's guard, and reads every failure one way.
     *
     * @param request  the turn; {@code request.agent().endpoint()} must be an absolute http(s) URL
     * @param protocol how the agent is called, for the log ({@code Remote}, {@code A2A})
     * @param attempt  one attempt against the endpoint
     * @return the reply; fails with {@link AgentTimeoutException} (504) when the attempt times out and
     *         {@link AgentExecutionException} (502) without a valid endpoint, on an open breaker ({@code detail}:
     *         temporarily unavailable) and on any other failure of the attempt
     */
    public Uni<AgentReply> callRemote(AgentRequest request, String protocol, Function<URI, Uni<AgentReply>> attempt) {
        AgentDescriptor agent = request.agent();
        URI uri = endpoint(agent.endpoint());
        if (uri == null) {
            return Uni.createFrom()
                    .failure(new AgentExecutionException(
                            agent.name(), "Agent '" + agent.name() + "' has no valid endpoint", null));
        }
        return call(agent, () -> attempt.apply(uri))
                .onFailure(e -> !(e instanceof ProblemException))
                .transform(e -> {
                    LOG.warnf(
                            "%s agent %s (version %s) failed (session %s): %s",
                            protocol, agent.name(), agent.version(), request.sessionId(), e.toString());
                    if (e instanceof TimeoutException) {
                        return new AgentTimeoutException(agent.name(), attemptTimeout());
                    }
                    if (e instanceof CircuitBreakerOpenException) {
                        return new AgentExecutionException(
                                agent.name(),
                                "Agent '" + agent.name() + "' is temporarily unavailable; please retry later",
                                e);
                    }
                    return new AgentExecutionException(agent.name(), e);
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

    /** @return every breaker built so far, sorted by name */
    public List<BreakerStatus> breakers() {
        return breakers.values().stream()
                .map(Breaker::status)
                .sorted(Comparator.comparing(BreakerStatus::name))
                .toList();
    }

    /** @return the per-attempt timeout */
    public Duration attemptTimeout() {
        return policy.timeout();
    }

    /** Whether a failure proves the request was never delivered, so repeating it cannot run a turn twice. */
    static boolean neverReachedTheAgent(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ConnectException
                    || t instanceof UnknownHostException
                    || t instanceof UnresolvedAddressException) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }

    private static String wire(CircuitBreakerState state) {
        return state.name().toLowerCase(Locale.ROOT);
    }
}
