package dev.switchboard.supervisor.chat;

import dev.switchboard.supervisor.prompts.PromptService;
import dev.switchboard.supervisor.routing.RoutingService;
import dev.switchboard.supervisor.sessions.SessionSnapshots;
import dev.switchboard.common.problem.ProblemException;
import dev.switchboard.supervisor.agents.AgentDescriptor;
import dev.switchboard.supervisor.api.ChatRequest;
import dev.switchboard.supervisor.api.ChatResponse;
import dev.switchboard.supervisor.sessions.LeaseLostException;
import dev.switchboard.supervisor.routing.RoutingDecision;
import dev.switchboard.supervisor.sessions.SessionBusyException;
import dev.switchboard.supervisor.agents.AgentExecutor;
import dev.switchboard.supervisor.agents.AgentReply;
import dev.switchboard.supervisor.agents.AgentRequest;
import dev.switchboard.supervisor.agents.TurnTrace;
import dev.switchboard.supervisor.peers.NewTurn;
import dev.switchboard.supervisor.peers.PeerRejectedException;
import dev.switchboard.supervisor.peers.Session;
import dev.switchboard.supervisor.peers.SessionNotFoundException;
import dev.switchboard.supervisor.peers.StaleFencingTokenException;
import dev.switchboard.supervisor.peers.StateClient;
import dev.switchboard.supervisor.peers.TurnAppended;
import dev.switchboard.supervisor.peers.VersionConflictException;
import dev.switchboard.supervisor.config.SupervisorConfig;
import dev.switchboard.supervisor.ops.SupervisorIdentity;
import dev.switchboard.supervisor.sessions.GracefulShutdown;
import dev.switchboard.supervisor.sessions.MultitaskStrategy;
import dev.switchboard.supervisor.sessions.SessionLease;
import dev.switchboard.supervisor.sessions.SessionLeaseManager;
import dev.switchboard.supervisor.ops.ClusterStats;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * One chat turn ({@code POST /chat}): refuse while draining, per-user rate limit (Redis token bucket), the
 * session's lease (strategy {@code enqueue}: wait in arrival order; {@code reject}: 409 when busy), the per-replica
 * concurrency cap, then — all while holding the lease — load-or-create the session (or start from this replica's
 * own snapshot when it wrote the session's previous turn, see {@link SessionSnapshots}), route, render the agent's
 * system prompt, run the agent with the recent history, and append the turn (messages + routing + outcome, one
 * checkpoint) to state-service with {@code If-Match} on the version loaded and the lease's
 * {@code X-Fencing-Token}. The lease is released in every outcome. A failing agent still gets its turn saved (user
 * message only, outcome {@code error}) before the client receives the agent's problem, so nothing the user sent is
 * lost. What the agent produced is bounded and made storable first ({@link AgentOutputLimits}), so state-service
 * takes the turn; should it still refuse it (4xx), the user's message is kept as a failed turn naming the refusal. The
 * 200 is sent only after state-service answered the append, i.e. after the checkpoint is durable.
 */
@ApplicationScoped
public class ChatService {

    /** Outcome of a turn the agent answered. */
    public static final String OK = "ok";
    /** Outcome of a turn whose agent failed. */
    public static final String ERROR = "error";
    /** System prompt used when an agent's prompt cannot be found anywhere. */
    static final String FALLBACK_PROMPT = "You are %s, an assistant of %s. Answer the user's message helpfully and concisely.";

    private static final Logger LOG = Logger.getLogger(ChatService.class);

    private final RateLimiter rateLimiter;
    private final AdmissionControl admission;
    private final StateClient state;
    private final RoutingService routing;
    private final PromptService prompts;
    private final AgentExecutor executor;
    private final SupervisorConfig config;
    private final MeterRegistry meters;
    private final SessionLeaseManager leases;
    private final GracefulShutdown shutdown;
    private final ClusterStats clusterStats;
    private final SupervisorIdentity identity;
    private final SessionSnapshots snapshots;
    private final AgentOutputLimits outputLimits;

    ChatService(RateLimiter rateLimiter, AdmissionControl admission, StateClient state, RoutingService routing,
            PromptService prompts, AgentExecutor executor, SupervisorConfig config, MeterRegistry meters,
            SessionLeaseManager leases, GracefulShutdown shutdown, ClusterStats clusterStats,
            SupervisorIdentity identity, SessionSnapshots snapshots, AgentOutputLimits outputLimits) {
        this.rateLimiter = rateLimiter;
        this.admission = admission;
        this.state = state;
        this.routing = routing;
        this.prompts = prompts;
        this.executor = executor;
        this.config = config;
        this.meters = meters;
        this.leases = leases;
        this.shutdown = shutdown;
        this.clusterStats = clusterStats;
        this.identity = identity;
        this.snapshots = snapshots;
        this.outputLimits = outputLimits;
    }

    /**
     * Handles one chat message.
     *
     * @param request a validated request
     * @return the agent's answer with the session, routing decision, checkpoint and turn ids; fails with
     *         503 {@code shutting-down}, 429 {@code rate-limited}, 409 {@code session-busy} (strategy reject),
     *         503 {@code session-busy-timeout}, 503 {@code capacity-exhausted}, routing problems (404/409/503), the
     *         agent's problem (503 {@code llm-not-configured}, 502 {@code agent-failed}, 504
     *         {@code agent-timeout}), 409 {@code lease-lost}, or a peer's problem (503/504)
     */
    public Uni<ChatResponse> chat(ChatRequest request) {
        if (shutdown.isDraining()) {
            leases.rejected("shutdown");
            return Uni.createFrom().failure(new ShuttingDownException());
        }
        String who = request.userId() != null ? request.userId()
                : request.sessionId() != null ? request.sessionId() : "anonymous";
        boolean newSession = request.sessionId() == null;
        String sessionId = newSession ? UUID.randomUUID().toString() : request.sessionId();
        return rateLimiter.admit(who)
                .chain(() -> leases.acquire(sessionId, MultitaskStrategy.of(request.multitaskStrategy()), newSession))
                .chain(lease -> {
                    if (!admission.tryAcquire()) {
                        leases.rejected("capacity");
                        return leases.release(lease)
                                .chain(() -> Uni.createFrom().failure(new CapacityExhaustedException(admission.max())));
                    }
                    // released before the response goes out, so the client's next message finds the session free
                    return runTurn(request, sessionId, lease).onTermination().call(() -> {
                        admission.release();
                        return leases.release(lease);
                    });
                });
    }

    private Uni<ChatResponse> runTurn(ChatRequest request, String sessionId, SessionLease lease) {
        long start = System.nanoTime();
        String turnId = UUID.randomUUID().toString();
        TurnLog log = new TurnLog(sessionId, turnId, start, lease, request.userId());
        return snapshots.current(lease, request.userId()).map(s -> Uni.createFrom().item(s))
                .orElseGet(() -> state.openSession(sessionId, request.userId()))
                .chain(session -> routing.route(request.message(), request.agent())
                        .invoke(log::routed)
                        .chain(decision -> systemPrompt(decision.agent(), sessionId, request.userId(), log)
                                .chain(systemPrompt -> {
                                    AgentRequest agentRequest = new AgentRequest(decision.agent(), sessionId,
                                            request.userId(), request.message(), history(session), systemPrompt,
                                            session.state(), log.trace);
                                    return executor.execute(agentRequest)
                                            .onFailure().recoverWithUni(failure -> saveFailedTurn(session, turnId,
                                                    request.message(), decision, failure, log))
                                            .chain(reply -> saveTurn(session, turnId, request.message(), decision,
                                                    reply, log))
                                            .map(appended -> new ChatResponse(sessionId, reply(appended, log),
                                                    decision.agent().name(),
                                                    new ChatResponse.Routing(decision.method(), decision.score()),
                                                    appended.checkpointId(), turnId));
                                })))
                .onItemOrFailure().invoke((response, failure) -> log.finish(failure));
    }

    /**
     * Saves a successful turn: user + assistant messages, outcome ok, tool calls and token usage. The reply is
     * bounded and made storable first, and the client gets that same text; a turn state-service still refuses
     * (4xx) is kept as the user's message with the refusal, and the client gets 500 {@code turn-not-stored}.
     */
    private Uni<TurnAppended> saveTurn(Session session, String turnId, String message, RoutingDecision decision,
            AgentReply reply, TurnLog log) {
        AgentOutputLimits.Bounded bounded = outputLimits.bound(reply);
        AgentReply stored = bounded.reply();
        log.reply = stored;
        Map<String, Object> metadata = turnMetadata(decision, log);
        metadata.put("tool_calls", stored.toolCalls());
        metadata.put("token_usage", Map.of("input_tokens", stored.inputTokens(), "output_tokens", stored.outputTokens()));
        if (!bounded.limits().isEmpty()) {
            metadata.put("output_limits", bounded.limits());
            LOG.infof("Turn %s of session %s: agent output bounded: %s", turnId, session.sessionId(),
                    bounded.limits().stream().map(l -> l.get("field") + " " + l.get("action")).toList());
        }
        String agent = decision.agent().name();
        NewTurn turn = outputLimits.fit(new NewTurn(turnId,
                List.of(new NewTurn.Message("user", outputLimits.storable(message), null, null),
                        new NewTurn.Message("assistant", stored.text(), agent, null)),
                agent, routingOf(decision), OK, null, metadata, stored.statePatch()));
        return appendTurn(session, turn, log)
                .onFailure(ChatService::refusedByStateService).recoverWithUni(refused -> keepRefusedTurn(session,
                        turnId, message, decision, (PeerRejectedException) refused, log));
    }

    /**
     * state-service refused a turn for what it holds (400 validation or text, 413 size, 422), not for the session's
     * state (404, 409, 412 are handled by the append itself): a 4xx is the sender's fault, here the supervisor's.
     */
    private static boolean refusedByStateService(Throwable failure) {
        return failure instanceof PeerRejectedException rejected
                && (rejected.status() == 400 || rejected.status() == 413 || rejected.status() == 422);
    }

    /**
     * Keeps the user's message of a turn state-service refused, as a failed turn that names the refusal, then fails
     * with {@link TurnNotStoredException} (or {@link LeaseLostException} when the lease was lost meanwhile).
     */
    private Uni<TurnAppended> keepRefusedTurn(Session session, String turnId, String message,
            RoutingDecision decision, PeerRejectedException refused, TurnLog log) {
        LOG.errorf("state-service refused turn %s of session %s (%d %s): %s; keeping the user's message only",
                turnId, session.sessionId(), refused.status(), refused.type(), refused.getMessage());
        log.reply = null;
        Map<String, Object> metadata = turnMetadata(decision, log);
        metadata.put("error_type", refused.type());
        String error = outputLimits.storable("state-service refused the turn (" + refused.status() + " "
                + refused.type() + "): " + refused.getMessage());
        NewTurn turn = new NewTurn(turnId, List.of(new NewTurn.Message("user", outputLimits.storable(message), null,
                null)), decision.agent().name(), routingOf(decision), ERROR, error, metadata);
        return appendTurn(session, turn, log)
                .onItemOrFailure().transformToUni((appended, saveFailure) -> {
                    if (saveFailure instanceof LeaseLostException lost) {
                        return Uni.createFrom().failure(lost);
                    }
                    if (saveFailure != null) {
                        LOG.warnf("Could not keep the message of refused turn %s of session %s either: %s", turnId,
                                session.sessionId(), saveFailure.getMessage());
                    }
                    return Uni.createFrom().failure(new TurnNotStoredException(session.sessionId(), refused));
                });
    }

    /**
     * Saves the user's message of a failed turn (outcome error, the problem's detail as error text), then
     * fails with the agent's original problem. A failure to save is logged; the agent's problem still wins.
     */
    private Uni<AgentReply> saveFailedTurn(Session session, String turnId, String message, RoutingDecision decision,
            Throwable failure, TurnLog log) {
        log.agentFailed = true;
        String error = outputLimits.storable(
                failure instanceof ProblemException problem ? problem.getMessage() : "Agent execution failed");
        if (!(failure instanceof ProblemException)) {
            LOG.errorf(failure, "Agent %s failed in session %s", decision.agent().name(), session.sessionId());
        }
        Map<String, Object> metadata = turnMetadata(decision, log);
        if (failure instanceof ProblemException problem) {
            metadata.put("error_type", problem.type());
        }
        NewTurn turn = new NewTurn(turnId, List.of(new NewTurn.Message("user", outputLimits.storable(message), null,
                null)), decision.agent().name(), routingOf(decision), ERROR, error, metadata);
        return appendTurn(session, turn, log)
                .onItemOrFailure().transformToUni((appended, saveFailure) -> {
                    if (saveFailure instanceof LeaseLostException lost) {
                        return Uni.createFrom().failure(lost); // nothing recorded: the client must resend
                    }
                    if (saveFailure != null) {
                        LOG.warnf("Could not save failed turn %s of session %s: %s", turnId, session.sessionId(),
                                saveFailure.getMessage());
                    }
                    return Uni.createFrom().failure(failure);
                });
    }

    /**
     * Appends with If-Match = the version loaded and the lease's fencing token. Under the lease a 412 means a
     * writer without a lease (admin PATCH) changed the session: reload once and retry, else 409 session-busy. A
     * 404 (the session was deleted since this replica's snapshot) re-creates it, as loading it would have. A
     * 409 stale-fencing-token means our lease was taken over: 409 lease-lost, nothing recorded. The session
     * returned is remembered as this replica's snapshot for the next turn; any failure forgets it.
     */
    private Uni<TurnAppended> appendTurn(Session session, NewTurn turn, TurnLog log) {
        SessionLease lease = log.lease;
        String sessionId = session.sessionId();
        return state.appendTurn(sessionId, session.version(), lease.token(), turn)
                .onFailure(SessionNotFoundException.class).recoverWithUni(gone -> {
                    LOG.infof("Session %s was deleted while turn %s ran; re-creating it", sessionId, turn.turnId());
                    return state.openSession(sessionId, log.userId)
                            .chain(fresh -> state.appendTurn(sessionId, fresh.version(), lease.token(), turn));
                })
                .onFailure(VersionConflictException.class).recoverWithUni(conflict -> {
                    LOG.infof("Session %s changed while turn %s ran; reloading and retrying the append", sessionId,
                            turn.turnId());
                    return state.findSession(sessionId)
                            .chain(fresh -> state.appendTurn(sessionId, fresh.version(), lease.token(), turn))
                            .onFailure(VersionConflictException.class)
                            .transform(again -> new SessionBusyException(sessionId));
                })
                .onFailure(StaleFencingTokenException.class).transform(stale -> {
                    LOG.warnf("Turn %s of session %s refused: lease token %d is stale (lease %s); nothing recorded",
                            turn.turnId(), sessionId, lease.token(), lease.isLost() ? "lost" : "taken over");
                    leases.rejected("lost");
                    return new LeaseLostException(sessionId);
                })
                .onItemOrFailure().invoke((appended, failure) -> {
                    if (failure == null) {
                        snapshots.remember(lease, appended.session());
                    } else {
                        snapshots.forget(sessionId);
                    }
                });
    }

    private Map<String, Object> turnMetadata(RoutingDecision decision, TurnLog log) {
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("supervisor_id", identity.id());
        metadata.put("latency_ms", log.elapsedMillis());
        metadata.put("agent_kind", decision.agent().kind());
        // which agent version ran the turn: a canary rollout may have picked another than the stable one (issue 4)
        String version = log.trace.agentVersion() != null ? log.trace.agentVersion() : decision.agent().version();
        if (version != null) {
            metadata.put("agent_version", version);
        }
        if (log.trace.canary()) {
            metadata.put("canary", true);
        }
        if (log.trace.promptId() != null) { // the canary's own system prompt replaced the agent's
            metadata.put("prompt_id", log.trace.promptId());
            metadata.put("prompt_version", log.trace.promptVersion());
        } else if (log.prompt != null) { // which prompt version produced this turn (issue 5)
            metadata.put("prompt_id", log.prompt.promptId());
            metadata.put("prompt_version", log.prompt.version());
        }
        return metadata;
    }

    private static Session.Routing routingOf(RoutingDecision decision) {
        return new Session.Routing(decision.method(), decision.score());
    }

    private static String reply(TurnAppended appended, TurnLog log) {
        return log.reply == null || log.reply.text() == null ? "" : log.reply.text();
    }

    /**
     * The agent's rendered system prompt; cached copy when prompt-service is down; a built-in line otherwise. The
     * prompt id and version rendered go to {@code log} (and from there into the turn's metadata).
     */
    private Uni<String> systemPrompt(AgentDescriptor agent, String sessionId, String userId, TurnLog log) {
        String businessName = config.calendar().businessName();
        String fallback = FALLBACK_PROMPT.formatted(agent.name(), businessName);
        if (agent.promptId() == null || agent.promptId().isBlank()) {
            if ("remote".equals(agent.kind())) {
                return Uni.createFrom().nullItem();
            }
            LOG.warnf("Agent %s has no prompt_id; using the built-in fallback system prompt", agent.name());
            return Uni.createFrom().item(fallback);
        }
        Map<String, Object> variables = prompts.agentVariables(agent.name(), userId, sessionId);
        return prompts.render(agent.promptId(), variables).map(rendered -> {
            if (rendered.isEmpty()) {
                LOG.warnf("No system prompt %s for agent %s; using the built-in fallback", agent.promptId(),
                        agent.name());
                return fallback;
            }
            log.prompt = rendered.get();
            return rendered.get().text();
        });
    }

    /** The last {@code supervisor.history-messages} user/assistant messages of successful turns, oldest first. */
    List<AgentRequest.HistoryMessage> history(Session session) {
        Set<String> failedTurns = session.turnsOrEmpty().stream()
                .filter(t -> t.outcome() != null && !OK.equals(t.outcome()))
                .map(Session.Turn::turnId)
                .collect(Collectors.toSet());
        List<AgentRequest.HistoryMessage> all = new ArrayList<>();
        for (Session.Message m : session.messagesOrEmpty()) {
            boolean conversational = "user".equals(m.role()) || "assistant".equals(m.role());
            if (conversational && m.content() != null && (m.turnId() == null || !failedTurns.contains(m.turnId()))) {
                all.add(new AgentRequest.HistoryMessage(m.role(), m.content()));
            }
        }
        int keep = Math.max(0, config.historyMessages());
        return all.size() <= keep ? all : List.copyOf(all.subList(all.size() - keep, all.size()));
    }

    /** Per-turn facts for the INFO log line and metrics (never the message text). */
    private final class TurnLog {
        final String sessionId;
        final String turnId;
        final long start;
        final SessionLease lease;
        final String userId;
        volatile RoutingDecision decision;
        volatile AgentReply reply;
        volatile boolean agentFailed;
        volatile PromptService.RenderedPrompt prompt;
        /** What the executors noted: the agent version (and its own prompt) that ran the turn. */
        final TurnTrace trace = new TurnTrace();

        TurnLog(String sessionId, String turnId, long start, SessionLease lease, String userId) {
            this.sessionId = sessionId;
            this.turnId = turnId;
            this.start = start;
            this.lease = lease;
            this.userId = userId;
        }

        void routed(RoutingDecision d) {
            decision = d;
        }

        long elapsedMillis() {
            return (System.nanoTime() - start) / 1_000_000;
        }

        void finish(Throwable failure) {
            String outcome = failure == null ? OK : ERROR;
            String agent = decision == null ? "none" : decision.agent().name();
            long nanos = System.nanoTime() - start;
            Counter.builder("switchboard.chat.turns").description("Chat turns by agent and outcome")
                    .tag("agent", agent).tag("outcome", outcome).register(meters).increment();
            Timer.builder("switchboard.chat.turn.duration").description("Chat turn latency, admission excluded")
                    .tag("outcome", outcome).register(meters).record(nanos, TimeUnit.NANOSECONDS);
            // cluster-wide counters for GET /system/stats (fire and forget; never fails the turn)
            clusterStats.recordTurn(agent, decision == null ? null : decision.method(), outcome,
                    ClusterStats.errorType(failure)).subscribe().with(ignored -> { });
            String why = failure == null ? ""
                    : " problem=" + (failure instanceof ProblemException p ? p.type() : failure.getClass().getSimpleName());
            LOG.infof("Chat turn session=%s turn=%s agent=%s method=%s score=%.3f outcome=%s%s latency_ms=%d",
                    sessionId, turnId, agent, decision == null ? "none" : decision.method(),
                    decision == null ? 0.0 : decision.score(), outcome, why, nanos / 1_000_000);
        }
    }
}
