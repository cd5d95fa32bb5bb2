package dev.switchboard.supervisor.chat;

import dev.switchboard.supervisor.sessions.AdmissionControl;
import dev.switchboard.supervisor.sessions.SessionLeaseManager;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One chat turn, as a list of steps run in order, each passing the {@link Turn} forward. {@code POST /chat}, A2A
 * {@code message/send} and the CRM webhook queue all run their turns here.
 *
 * <ol>
 * <li>{@link AdmitStep admit}: refuse while draining, spend the caller's rate limit</li>
 * <li>{@link LeaseStep lease}: one turn at a time per session, across replicas</li>
 * <li>{@link CapacityStep capacity}: one of this replica's concurrency slots</li>
 * <li>{@link LoadSessionStep load session}: this replica's snapshot, else state-service's copy</li>
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
 */
@ApplicationScoped
public class TurnPipeline {

    private final List<TurnStep> steps;
    private final AdmissionControl admission;
    private final SessionLeaseManager leases;
    private final TurnMetrics metrics;

    TurnPipeline(
            AdmitStep admit,
            LeaseStep lease,
            CapacityStep capacity,
            LoadSessionStep loadSession,
            RouteStep route,
            ChooseVersionStep chooseVersion,
            RenderPromptStep renderPrompt,
            ExecuteStep execute,
            ReportVersionStep reportVersion,
            PersistStep persist,
            AdmissionControl admission,
            SessionLeaseManager leases,
            TurnMetrics metrics) {
        this.steps = List.of(
                admit,
                lease,
                capacity,
                loadSession,
                route,
                chooseVersion,
                renderPrompt,
                execute,
                reportVersion,
                persist);
        this.admission = admission;
        this.leases = leases;
        this.metrics = metrics;
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
        if (ReservedSessionIds.isReserved(request.sessionId())) {
            return Uni.createFrom().failure(new ReservedSessionIdException(request.sessionId()));
        }
        return run(request);
    }

    /**
     * Runs one turn of a CRM contact's conversation, in the provider's session namespace: for the webhook queue worker
     * only, which has authenticated the delivery and derived the session from it. Otherwise as {@link #chat}.
     *
     * @param request a request whose session id is the contact's session
     * @return as {@link #chat}, without the reserved-session check
     */
    public Uni<ChatResponse> chatInContactSession(ChatRequest request) {
        return run(request);
    }

    private Uni<ChatResponse> run(ChatRequest request) {
        Turn start = Turn.start(request);
        AtomicReference<Turn> last = new AtomicReference<>(start); // how far the turn got, for release and metrics
        Uni<Turn> turn = Uni.createFrom().item(start);
        for (TurnStep step : steps) {
            turn = turn.chain(step::apply).invoke(last::set);
        }
        return turn.chain(TurnPipeline::answer)
                .onItemOrFailure()
                .invoke((answer, failure) -> {
                    if (last.get().admitted()) {
                        metrics.finished(last.get(), failure);
                    }
                })
                .onTermination()
                .call(() -> release(last.get()));
    }

    /** The client's answer: the reply as stored, or the agent's problem once its failed turn is stored. */
    private static Uni<ChatResponse> answer(Turn turn) {
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
