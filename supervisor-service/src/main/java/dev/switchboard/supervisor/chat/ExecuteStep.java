package dev.switchboard.supervisor.chat;

import dev.switchboard.common.problem.ProblemException;
import dev.switchboard.supervisor.agents.AgentExecutors;
import dev.switchboard.supervisor.agents.AgentRequest;
import dev.switchboard.supervisor.config.SupervisorConfig;
import dev.switchboard.supervisor.peers.Session;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Runs the agent version with its system prompt, the session's recent history and state, and the user's message,
 * through the executor of its kind ({@link AgentExecutors}). A failing agent does not end the turn here: its failure
 * goes into the turn, so the user's message is still stored before the client gets the agent's problem.
 */
@ApplicationScoped
class ExecuteStep implements TurnStep {

    private static final Logger LOG = Logger.getLogger(ExecuteStep.class);

    private final AgentExecutors executors;
    private final int historyMessages;

    ExecuteStep(AgentExecutors executors, SupervisorConfig config) {
        this.executors = executors;
        this.historyMessages = Math.max(0, config.historyMessages());
    }

    @Override
    public Uni<Turn> apply(Turn turn) {
        AgentRequest request = new AgentRequest(
                turn.agent(),
                turn.sessionId(),
                turn.userId(),
                turn.request().message(),
                history(turn.session(), historyMessages),
                turn.systemPrompt(),
                turn.session() == null ? null : turn.session().state(),
                turn.turnId());
        return Uni.createFrom().deferred(() -> {
            long start = System.nanoTime();
            return executors
                    .execute(request)
                    .map(reply -> turn.withExecution(reply, null, System.nanoTime() - start))
                    .onFailure()
                    .recoverWithItem(failure -> {
                        if (!(failure instanceof ProblemException)) {
                            LOG.errorf(
                                    failure,
                                    "Agent %s failed in session %s",
                                    turn.agent().name(),
                                    turn.sessionId());
                        }
                        return turn.withExecution(null, failure, System.nanoTime() - start);
                    });
        });
    }

    /** The last {@code keep} user/assistant messages of successful turns, oldest first. */
    static List<AgentRequest.HistoryMessage> history(Session session, int keep) {
        if (session == null) {
            return List.of();
        }
        Set<String> failedTurns = session.turnsOrEmpty().stream()
                .filter(t -> t.outcome() != null && !PersistStep.OK.equals(t.outcome()))
                .map(Session.Turn::turnId)
                .collect(Collectors.toSet());
        List<AgentRequest.HistoryMessage> all = new ArrayList<>();
        for (Session.Message m : session.messagesOrEmpty()) {
            boolean conversational = "user".equals(m.role()) || "assistant".equals(m.role());
            if (conversational && m.content() != null && (m.turnId() == null || !failedTurns.contains(m.turnId()))) {
                all.add(new AgentRequest.HistoryMessage(m.role(), m.content()));
            }
        }
        return all.size() <= keep ? all : List.copyOf(all.subList(all.size() - keep, all.size()));
    }
}
