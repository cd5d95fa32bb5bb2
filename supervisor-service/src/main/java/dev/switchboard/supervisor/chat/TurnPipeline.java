package dev.switchboard.supervisor.chat;

import dev.switchboard.common.problem.ProblemException;
import dev.switchboard.supervisor.peers.SessionNotFoundException;
import dev.switchboard.supervisor.peers.StateClient;
import dev.switchboard.supervisor.sessions.AdmissionControl;
import dev.switchboard.supervisor.sessions.SessionLeaseManager;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.jboss.logging.Logger;

/**
 * One chat turn, as a list of steps run in order, each passing the {@link Turn} forward. {@code POST /chat}, A2A
 * {@code message/send} and the CRM webhook queue all run their turns here.
 *
 * <ol>
 * <li>{@link AdmitStep admit}: refuse while draining, spend the caller's rate limit</li>
 * <li>{@link LeaseStep lease}: one turn at a time per session, across replicas</li>
 * <li>{@link CapacityStep capacity}: one of this replica's concurrency slots</li>
 * <li>{@link LoadSessionStep load session}: this replica's snapshot, else state-service's copy</li>
 * <li>{@link ReplayStep replay}: a keyed turn the session already holds is answered again; the steps below are
 * skipped</li>
 * <li>{@link RouteStep route}: which agent takes the message</li>
 * <li>{@link ChooseVersionStep choose version}: stable, or the session's canary</li>
 * <li>{@link RenderPromptStep render prompt}: the version's system prompt, rendered once</li>
 * <li>{@link ExecuteStep execute}: the agent answers (or fails; the failure travels on)</li>
 * <li>{@link ReportVersionStep report version}: the rollout hears how the version did</li>
 * <li>{@link PersistStep persist}: the turn becomes a durable checkpoint</li>
 * <li>{@link #answer answer}: the client gets the stored reply, or the agent's problem</li>
 * </ol>
 *
 * A new step is one more class and one more entry in the list; the slot and the lease are given back when the turn
 * ends, whatever the outcome, before the client gets the answer (so the client's next message finds the session
 * free).
 *
 * <p><b>Idempotency keys</b> ({@link #chat(ChatRequest, IdempotencyKey)}): a request with a key runs as the turn the
 * key derives (turn id, and session id when none is named), recorded with the turn; its answer is kept for
 * {@code IDEMPOTENCY_TTL} ({@link IdempotencyKeys}). A repeat gets that answer without a second model call or tool
 * side effect, a repeat while the first runs gets 409 {@code idempotency-key-in-use}, the key with another request
 * 422 {@code idempotency-key-reused}, following the IETF draft "The Idempotency-Key HTTP Header Field".
 */
@ApplicationScoped
public class TurnPipeline {

    private static final Logger LOG = Logger.getLogger(TurnPipeline.class);

    private final List<TurnStep> steps;
    private final AdmissionControl admission;
    private final SessionLeaseManager leases;
    private final TurnMetrics metrics;
    private final IdempotencyKeys keys;
    private final StateClient state;

    TurnPipeline(
            AdmitStep admit,
            LeaseStep lease,
            CapacityStep capacity,
            LoadSessionStep loadSession,
            ReplayStep replay,
            RouteStep route,
            ChooseVersionStep chooseVersion,
            RenderPromptStep renderPrompt,
            ExecuteStep execute,
            ReportVersionStep reportVersion,
            PersistStep persist,
            AdmissionControl admission,
            SessionLeaseManager leases,
            TurnMetrics metrics,
            IdempotencyKeys keys,
            StateClient state) {
        this.steps = List.of(
                admit,
                lease,
                capacity,
                loadSession,
                replay,
                route,
                chooseVersion,
                renderPrompt,
                execute,
                reportVersion,
                persist);
        this.admission = admission;
        this.leases = leases;
        this.metrics = metrics;
        this.keys = keys;
        this.state = state;
    }

    /**
     * Runs one client's chat turn ({@code POST /chat}, A2A {@code message/send}). A session id in a webhook provider's
     * namespace ({@link ReservedSessionIds}) is refused before anything else, nothing spent or stored: those sessions
     * are CRM contacts' conversations, written only through {@link #chatInContactSession}.
     *
     * @param request a validated request
     * @return the agent's answer with the session, routing decision, checkpoint and turn ids; fails with 403
     *         {@code reserved-session-id}, 503
     *         {@code shutting-down}, 429 {@code rate-limited}, 409 {@code session-busy} (strategy reject), 503
     *         {@code session-busy-timeout}, 503 {@code capacity-exhausted}, routing problems (404/409/503), the
     *         agent's problem (503 {@code llm-not-configured}, 502 {@code agent-failed}, 504 {@code agent-timeout}),
     *         409 {@code lease-lost}, 500 {@code turn-not-stored}, or a peer's problem (503/504)
     */
    public Uni<ChatResponse> chat(ChatRequest request) {
        return chat(request, null);
    }

    /**
     * Runs one client's chat turn at most once per idempotency key (IETF draft-ietf-httpapi-idempotency-key-header):
     *
     * <ul>
     * <li>first use of the key: the turn runs as the turn the key derives (see {@link Turn#start(ChatRequest,
     * IdempotencyKey)}), the key and the request's fingerprint stored with it;</li>
     * <li>a repeat after the first was answered (Redis, {@code IDEMPOTENCY_TTL}), or whose turn the session already
     * holds (state-service, also after its replica died before answering): the first answer again, with
     * {@code Idempotent-Replayed: true}, no model call, no tool call, nothing written;</li>
     * <li>a repeat while the first runs: 409 {@code idempotency-key-in-use} with {@code Retry-After};</li>
     * <li>the key with a different request: 422 {@code idempotency-key-reused}.</li>
     * </ul>
     *
     * A first attempt that stored nothing (rate limited, session busy, a peer down...) frees the key, so its retry
     * runs the turn. A turn whose agent failed is stored, so its repeat gets the same problem.
     *
     * @param request a validated request
     * @param key     the caller's key ({@link IdempotencyKey#parse}), or {@code null}: as {@link #chat(ChatRequest)}
     * @return as {@link #chat(ChatRequest)}, or fails with 409 {@code idempotency-key-in-use}, 422
     *         {@code idempotency-key-reused}, 503 {@code dependency-unavailable} (Redis)
     */
    public Uni<ChatResponse> chat(ChatRequest request, IdempotencyKey key) {
        if (ReservedSessionIds.isReserved(request.sessionId())) {
            return Uni.createFrom().failure(new ReservedSessionIdException(request.sessionId()));
        }
        if (key == null) {
            return run(request, null, null);
        }
        IdempotencyKey bound = key.of(request);
        String owner = UUID.randomUUID().toString();
        return keys.begin(bound, owner).chain(marker -> switch (marker.state()) {
            case CLAIMED -> run(request, bound, owner);
            case DONE -> bound.sameRequest(marker.fingerprint()) ? replay(marker.answer(), "redis") : reused();
            case RUNNING -> bound.sameRequest(marker.fingerprint()) ? storedOrInUse(request, bound) : reused();
        });
    }

    /**
     * The key is held by a running request, or by one whose replica died: when state-service holds the key's turn (it
     * was stored, but never answered) its answer is given and recorded; else 409 in use.
     */
    private Uni<ChatResponse> storedOrInUse(ChatRequest request, IdempotencyKey key) {
        String sessionId = request.sessionId() != null ? request.sessionId() : key.sessionId();
        return state.findSession(sessionId)
                .map(session -> StoredAnswer.fromSession(session, key.turnId()))
                .onFailure(SessionNotFoundException.class)
                .recoverWithItem(Optional.empty())
                .chain(stored -> {
                    if (stored.isEmpty()) {
                        keys.rejected("in-use");
                        return Uni.createFrom().failure(new IdempotencyKeyInUseException(keys.retryAfterSeconds()));
                    }
                    LOG.infof(
                            "Turn %s of session %s was stored but its answer not recorded (its replica died?);"
                                    + " answering it again",
                            key.turnId(), sessionId);
                    return keys.complete(key, stored.get()).chain(() -> replay(stored.get(), "state-service"));
                });
    }

    private Uni<ChatResponse> replay(StoredAnswer answer, String source) {
        keys.replayed(source);
        return answer.replay();
    }

    private Uni<ChatResponse> reused() {
        keys.rejected("reused");
        return Uni.createFrom().failure(new IdempotencyKeyReusedException());
    }

    /**
     * Runs one turn of a CRM contact's conversation, in the provider's session namespace: for the webhook queue worker
     * only, which has authenticated the delivery and derived the session from it. Otherwise as {@link #chat}.
     *
     * @param request a request whose session id is the contact's session
     * @return as {@link #chat}, without the reserved-session check
     */
    public Uni<ChatResponse> chatInContactSession(ChatRequest request) {
        return run(request, null, null);
    }

    /**
     * Runs the steps. With an idempotency key (claimed by {@code owner}) the key is kept alive while the turn runs,
     * then records the answer of a stored turn, or is freed when nothing was stored.
     */
    private Uni<ChatResponse> run(ChatRequest request, IdempotencyKey key, String owner) {
        Turn start = Turn.start(request, key);
        AtomicReference<Turn> last = new AtomicReference<>(start); // how far the turn got, for release and metrics
        Uni<Turn> turn = Uni.createFrom().item(start);
        for (TurnStep step : steps) {
            // a turn found already stored (ReplayStep) skips the rest: nothing is routed, run or written again
            turn = turn.chain(t -> t.replay() != null ? Uni.createFrom().item(t) : step.apply(t))
                    .invoke(last::set);
        }
        AtomicLong keepAlive = new AtomicLong(-1);
        return turn.onSubscription()
                .invoke(() -> {
                    if (key != null) {
                        keepAlive.set(keys.keepAlive(key, owner));
                    }
                })
                .chain(TurnPipeline::answer)
                .onItemOrFailure()
                .invoke((answer, failure) -> {
                    if (last.get().admitted() && last.get().replay() == null) {
                        metrics.finished(last.get(), failure);
                    }
                })
                .onItemOrFailure()
                .call((answer, failure) -> {
                    if (key == null) {
                        return Uni.createFrom().voidItem();
                    }
                    keys.stopKeepingAlive(keepAlive.get());
                    return settle(key, owner, last.get(), answer, failure);
                })
                .onCancellation()
                .invoke(() -> {
                    // the caller left: whether the turn got stored is unknown, so the key is left to expire
                    if (key != null) {
                        keys.stopKeepingAlive(keepAlive.get());
                    }
                })
                .onTermination()
                .call(() -> release(last.get()));
    }

    /**
     * Records the answer of a keyed turn that is stored (or was found stored), so repeats get it from Redis; frees the
     * key of a turn that stored nothing, so a retry runs it.
     */
    private Uni<Void> settle(IdempotencyKey key, String owner, Turn turn, ChatResponse answer, Throwable failure) {
        if (turn.replay() != null) {
            return keys.complete(key, turn.replay());
        }
        if (turn.appended() != null && answer != null) {
            return keys.complete(key, StoredAnswer.of(answer));
        }
        if (turn.appended() != null && failure instanceof ProblemException problem) {
            return keys.complete(key, StoredAnswer.of(problem)); // the agent's problem, its failed turn stored
        }
        return keys.abandon(key, owner);
    }

    /**
     * The client's answer: the reply as stored, the agent's problem once its failed turn is stored, or, for a turn
     * found already stored, what it answered then.
     */
    private static Uni<ChatResponse> answer(Turn turn) {
        if (turn.replay() != null) {
            return turn.replay().replay();
        }
        if (turn.failed()) {
            return Uni.createFrom().failure(turn.agentFailure());
        }
        String reply = turn.reply().text() == null ? "" : turn.reply().text();
        return Uni.createFrom()
                .item(new ChatResponse(
                        turn.sessionId(),
                        reply,
                        turn.decision().agent().name(),
                        new ChatResponse.Routing(
                                turn.decision().method(), turn.decision().score()),
                        turn.appended().checkpointId(),
                        turn.turnId()));
    }

    private Uni<Void> release(Turn turn) {
        if (turn.admitted()) {
            admission.release();
        }
        return turn.lease() == null ? Uni.createFrom().voidItem() : leases.release(turn.lease());
    }
}
