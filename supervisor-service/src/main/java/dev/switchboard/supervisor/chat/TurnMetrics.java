package dev.switchboard.supervisor.chat;

import dev.switchboard.common.problem.ProblemException;
import dev.switchboard.supervisor.ops.ClusterStats;
import dev.switchboard.supervisor.routing.RoutingDecision;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Records a finished turn: metrics {@code switchboard_chat_turns_total{agent,outcome}} and
 * {@code switchboard_chat_turn_duration_seconds{outcome}}, the cluster-wide counters behind {@code GET /system/stats},
 * and one INFO line (never the message text).
 */
@ApplicationScoped
class TurnMetrics {

    private static final Logger LOG = Logger.getLogger(TurnMetrics.class);

    private final MeterRegistry meters;
    private final ClusterStats clusterStats;

    TurnMetrics(MeterRegistry meters, ClusterStats clusterStats) {
        this.meters = meters;
        this.clusterStats = clusterStats;
    }

    /**
     * Records {@code turn} as it ended.
     *
     * @param turn    the turn as far as it got
     * @param failure why it failed, or {@code null}
     */
    void finished(Turn turn, Throwable failure) {
        String outcome = failure == null ? PersistStep.OK : PersistStep.ERROR;
        RoutingDecision decision = turn.decision();
        String agent = decision == null ? "none" : decision.agent().name();
        long nanos = System.nanoTime() - turn.startNanos();
        Counter.builder("switchboard.chat.turns")
                .description("Chat turns by agent and outcome")
                .tag("agent", agent)
                .tag("outcome", outcome)
                .register(meters)
                .increment();
        Timer.builder("switchboard.chat.turn.duration")
                .description("Chat turn latency, admission excluded")
                .tag("outcome", outcome)
                .register(meters)
                .record(nanos, TimeUnit.NANOSECONDS);
        // fire and forget: statistics never fail or delay a turn
        clusterStats
                .recordTurn(
                        agent, decision == null ? null : decision.method(), outcome, ClusterStats.errorType(failure))
                .subscribe()
                .with(ignored -> {});
        String why = failure == null
                ? ""
                : " problem="
                        + (failure instanceof ProblemException p
                                ? p.type()
                                : failure.getClass().getSimpleName());
        LOG.infof(
                "Chat turn session=%s turn=%s agent=%s method=%s score=%.3f outcome=%s%s latency_ms=%d",
                turn.sessionId(),
                turn.turnId(),
                agent,
                decision == null ? "none" : decision.method(),
                decision == null ? 0.0 : decision.score(),
                outcome,
                why,
                nanos / 1_000_000);
    }
}
