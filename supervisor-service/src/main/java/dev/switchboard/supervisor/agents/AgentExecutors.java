package dev.switchboard.supervisor.agents;

import io.quarkus.arc.All;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The executor of each agent kind ({@code llm}, {@code remote}, {@code a2a}), chosen by the agent's kind; an agent
 * without a kind is an {@code llm} agent. Records {@code switchboard_chat_llm_duration_seconds{agent,kind,outcome}},
 * the agent's part of a turn, whatever its kind.
 */
@ApplicationScoped
public class AgentExecutors {

    /** The kind of an agent that names none. */
    public static final String DEFAULT_KIND = "llm";

    private final Map<String, AgentExecutor> byKind;
    private final AgentExecutionMetrics metrics;

    /**
     * @param executors one executor per kind
     * @param metrics   the agent execution timer
     */
    public AgentExecutors(@All List<AgentExecutor> executors, AgentExecutionMetrics metrics) {
        this.byKind =
                executors.stream().collect(Collectors.toUnmodifiableMap(AgentExecutor::kind, Function.identity()));
        this.metrics = metrics;
    }

    /**
     * Runs one turn of {@code request.agent()} with the executor of its kind.
     *
     * @return the reply; fails as the executor does (see {@link AgentExecutor#execute}), and with
     *         {@link AgentExecutionException} (502) for a kind no executor runs
     */
    public Uni<AgentReply> execute(AgentRequest request) {
        AgentDescriptor agent = request.agent();
        String kind = agent.kind() == null ? DEFAULT_KIND : agent.kind();
        AgentExecutor executor = byKind.get(kind);
        if (executor == null) {
            return Uni.createFrom()
                    .failure(new AgentExecutionException(
                            agent.name(), "Agent '" + agent.name() + "' has an unsupported kind", null));
        }
        return Uni.createFrom().deferred(() -> {
            long start = System.nanoTime();
            return executor.execute(request)
                    .onItemOrFailure()
                    .invoke((reply, failure) -> metrics.record(
                            agent.name(), kind, failure == null ? "ok" : "error", System.nanoTime() - start));
        });
    }
}
