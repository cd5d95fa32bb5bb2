package dev.switchboard.supervisor.chat;

import dev.switchboard.common.problem.ProblemException;
import dev.switchboard.supervisor.agents.AgentReply;
import dev.switchboard.supervisor.ops.SupervisorIdentity;
import dev.switchboard.supervisor.peers.NewTurn;
import dev.switchboard.supervisor.peers.PeerRejectedException;
import dev.switchboard.supervisor.peers.Session;
import dev.switchboard.supervisor.peers.SessionNotFoundException;
import dev.switchboard.supervisor.peers.StaleFencingTokenException;
import dev.switchboard.supervisor.peers.StateClient;
import dev.switchboard.supervisor.peers.TurnAppended;
import dev.switchboard.supervisor.peers.VersionConflictException;
import dev.switchboard.supervisor.problem.SupervisorProblem;
import dev.switchboard.supervisor.sessions.LeaseLostException;
import dev.switchboard.supervisor.sessions.SessionBusyException;
import dev.switchboard.supervisor.sessions.SessionLease;
import dev.switchboard.supervisor.sessions.SessionLeaseManager;
import dev.switchboard.supervisor.sessions.SessionSnapshots;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Stores the turn as one checkpoint in state-service, with {@code If-Match} on the session version loaded and the
 * lease's {@code X-Fencing-Token}; the answer goes out only after state-service confirmed it, i.e. once the
 * checkpoint is durable.
 *
 * <ul>
 * <li>An answered turn stores the user's and the agent's messages, the routing decision, outcome {@code ok}, tool
 * calls, token usage and the state patch. What the agent produced is bounded and made storable first
 * ({@link AgentOutputLimits}), and the client gets that same text. Should state-service still refuse the turn (400,
 * 413, 422), the user's message is kept as a failed turn naming the refusal, and the turn fails with 500
 * {@code turn-not-stored}.</li>
 * <li>A turn whose agent failed stores the user's message with outcome {@code error} and the problem's detail, so
 * nothing the user sent is lost; when that store fails the failure is logged and the agent's problem still wins.</li>
 * <li>A stale fencing token (another replica took the lease over) fails with 409 {@code lease-lost}: nothing was
 * recorded and the client must resend.</li>
 * </ul>
 */
@ApplicationScoped
class PersistStep implements TurnStep {

    /** Outcome of a turn the agent answered. */
    static final String OK = "ok";
    /** Outcome of a turn whose agent failed. */
    static final String ERROR = "error";
    /** Turn metadata of a keyed turn: {@code {"key", "fingerprint"}} of its idempotency key. */
    static final String IDEMPOTENCY = "idempotency";
    /** Turn metadata of a failed turn: the type URI of the problem its client got. */
    static final String PROBLEM_TYPE = "problem_type";
    /** Turn metadata of a failed turn: the HTTP status of the problem its client got. */
    static final String PROBLEM_STATUS = "problem_status";

    private static final Logger LOG = Logger.getLogger(PersistStep.class);

    private final StateClient state;
    private final SessionSnapshots snapshots;
    private final SessionLeaseManager leases;
    private final AgentOutputLimits outputLimits;
    private final SupervisorIdentity identity;

    PersistStep(
            StateClient state,
            SessionSnapshots snapshots,
            SessionLeaseManager leases,
            AgentOutputLimits outputLimits,
            SupervisorIdentity identity) {
        this.state = state;
        this.snapshots = snapshots;
        this.leases = leases;
        this.outputLimits = outputLimits;
        this.identity = identity;
    }

    @Override
    public Uni<Turn> apply(Turn turn) {
        return turn.failed() ? storeFailedTurn(turn) : storeAnsweredTurn(turn);
    }

    private Uni<Turn> storeAnsweredTurn(Turn turn) {
        AgentOutputLimits.Bounded bounded = outputLimits.bound(turn.reply());
        AgentReply stored = bounded.reply();
        Map<String, Object> metadata = metadata(turn);
        metadata.put("tool_calls", stored.toolCalls());
        metadata.put(
                "token_usage", Map.of("input_tokens", stored.inputTokens(), "output_tokens", stored.outputTokens()));
        if (!bounded.limits().isEmpty()) {
            metadata.put("output_limits", bounded.limits());
            LOG.infof(
                    "Turn %s of session %s: agent output bounded: %s",
                    turn.turnId(),
                    turn.sessionId(),
                    bounded.limits().stream()
                            .map(l -> l.get("field") + " " + l.get("action"))
                            .toList());
        }
        String agent = turn.decision().agent().name();
        NewTurn checkpoint = outputLimits.fit(new NewTurn(
                turn.turnId(),
                List.of(userMessage(turn), new NewTurn.Message("assistant", stored.text(), agent, null)),
                agent,
                routing(turn),
                OK,
                null,
                metadata,
                stored.statePatch()));
        return append(turn, checkpoint)
                .map(appended -> turn.withStored(stored, appended))
                .onFailure(PersistStep::refusedByStateService)
                .recoverWithUni(refused -> keepRefusedTurn(turn, (PeerRejectedException) refused));
    }

    /**
     * state-service refused the turn for what it holds (400 validation or text, 413 size, 422), not for the
     * session's state (404, 409, 412 are handled by {@link #append}): a 4xx is the sender's fault, here ours.
     */
    private static boolean refusedByStateService(Throwable failure) {
        return failure instanceof PeerRejectedException rejected
                && (rejected.status() == 400 || rejected.status() == 413 || rejected.status() == 422);
    }

    private Uni<Turn> keepRefusedTurn(Turn turn, PeerRejectedException refused) {
        LOG.errorf(
                "state-service refused turn %s of session %s (%d %s): %s; keeping the user's message only",
                turn.turnId(), turn.sessionId(), refused.status(), refused.type(), refused.getMessage());
        Map<String, Object> metadata = metadata(turn);
        metadata.put("error_type", refused.type());
        metadata.put(PROBLEM_TYPE, SupervisorProblem.TURN_NOT_STORED.uri());
        metadata.put(PROBLEM_STATUS, SupervisorProblem.TURN_NOT_STORED.status());
        String error = outputLimits.storable("state-service refused the turn (" + refused.status() + " "
                + refused.type() + "): " + refused.getMessage());
        return append(turn, failedTurn(turn, error, metadata))
                .onItemOrFailure()
                .transformToUni((appended, saveFailure) -> {
                    if (saveFailure instanceof LeaseLostException lost) {
                        return Uni.createFrom().failure(lost);
                    }
                    if (saveFailure != null) {
                        LOG.warnf(
                                "Could not keep the message of refused turn %s of session %s either: %s",
                                turn.turnId(), turn.sessionId(), saveFailure.getMessage());
                    }
                    return Uni.createFrom().failure(new TurnNotStoredException(turn.sessionId(), refused));
                });
    }

    private Uni<Turn> storeFailedTurn(Turn turn) {
        Throwable failure = turn.agentFailure();
        String error = outputLimits.storable(
                failure instanceof ProblemException problem ? problem.getMessage() : "Agent execution failed");
        Map<String, Object> metadata = metadata(turn);
        if (failure instanceof ProblemException problem) {
            metadata.put("error_type", problem.type());
            metadata.put(PROBLEM_TYPE, problem.type());
            metadata.put(PROBLEM_STATUS, problem.status());
        }
        return append(turn, failedTurn(turn, error, metadata))
                .map(appended -> turn.withStored(null, appended))
                .onFailure(saveFailure -> !(saveFailure instanceof LeaseLostException))
                .recoverWithItem(saveFailure -> {
                    LOG.warnf(
                            "Could not save failed turn %s of session %s: %s",
                            turn.turnId(), turn.sessionId(), saveFailure.getMessage());
                    return turn;
                });
    }

    private NewTurn failedTurn(Turn turn, String error, Map<String, Object> metadata) {
        return new NewTurn(
                turn.turnId(),
                List.of(userMessage(turn)),
                turn.decision().agent().name(),
                routing(turn),
                ERROR,
                error,
                metadata);
    }

    private NewTurn.Message userMessage(Turn turn) {
        return new NewTurn.Message("user", outputLimits.storable(turn.request().message()), null, null);
    }

    /**
     * Appends with If-Match = the version loaded and the lease's fencing token; a session state-service does not hold
     * yet is started by the turn itself (one call). Under the lease a 412 means a writer without a lease (admin
     * PATCH) changed the session, or created it: reload once and retry, else 409 session-busy. A 404
     * (the session was deleted since this replica's snapshot) re-creates it, as loading it would have. A 409
     * stale-fencing-token means the lease was taken over: 409 lease-lost, nothing recorded. The session returned is
     * remembered as this replica's snapshot for the next turn; any failure forgets it.
     */
    private Uni<TurnAppended> append(Turn turn, NewTurn checkpoint) {
        SessionLease lease = turn.lease();
        Session session = turn.session();
        String sessionId = turn.sessionId();
        Uni<TurnAppended> write = session.isUnsaved()
                ? state.startSession(sessionId, lease.token(), checkpoint.startingSessionOf(turn.userId()))
                : state.appendTurn(sessionId, session.version(), lease.token(), checkpoint);
        return write.onFailure(SessionNotFoundException.class)
                .recoverWithUni(gone -> {
                    LOG.infof("Session %s was deleted while turn %s ran; re-creating it", sessionId, turn.turnId());
                    return state.openSession(sessionId, turn.userId(), lease.token())
                            .chain(fresh -> state.appendTurn(sessionId, fresh.version(), lease.token(), checkpoint));
                })
                .onFailure(VersionConflictException.class)
                .recoverWithUni(conflict -> {
                    LOG.infof(
                            "Session %s changed while turn %s ran; reloading and retrying the append",
                            sessionId, turn.turnId());
                    return state.findSession(sessionId)
                            .chain(fresh -> state.appendTurn(sessionId, fresh.version(), lease.token(), checkpoint))
                            .onFailure(VersionConflictException.class)
                            .transform(again -> new SessionBusyException(sessionId));
                })
                .onFailure(StaleFencingTokenException.class)
                .transform(stale -> {
                    LOG.warnf(
                            "Turn %s of session %s refused: lease token %d is stale (lease %s); nothing recorded",
                            turn.turnId(), sessionId, lease.token(), lease.isLost() ? "lost" : "taken over");
                    leases.rejected("lost");
                    return new LeaseLostException(sessionId);
                })
                .onItemOrFailure()
                .invoke((appended, failure) -> {
                    if (failure == null) {
                        snapshots.remember(lease, appended.session());
                    } else {
                        snapshots.forget(sessionId);
                    }
                });
    }

    /** What every stored turn records beside its messages: who ran it, how fast, which version and prompt. */
    private Map<String, Object> metadata(Turn turn) {
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("supervisor_id", identity.id());
        metadata.put("latency_ms", turn.elapsedMillis());
        metadata.put("agent_kind", turn.decision().agent().kind());
        if (turn.agent().version() != null) {
            metadata.put("agent_version", turn.agent().version());
        }
        if (turn.canary()) {
            metadata.put("canary", true);
        }
        if (turn.prompt() != null) {
            metadata.put("prompt_id", turn.prompt().promptId());
            metadata.put("prompt_version", turn.prompt().version());
        }
        if (turn.idempotency() != null) {
            // recorded with the turn, in the write that commits it: a repeat on any replica finds it in the session
            metadata.put(
                    IDEMPOTENCY,
                    Map.of(
                            "key", turn.idempotency().value(),
                            "fingerprint", turn.idempotency().fingerprint()));
        }
        return metadata;
    }

    private static Session.Routing routing(Turn turn) {
        return new Session.Routing(turn.decision().method(), turn.decision().score());
    }
}
