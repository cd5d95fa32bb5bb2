package dev.switchboard.supervisor.agents;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/** Runs {@code a2a} agents: the turn is an A2A {@code message/send} to the agent's endpoint ({@link A2aAgentClient}). */
@ApplicationScoped
public class A2aAgentExecutor implements AgentExecutor {

    private final RemoteAgentClient client;

    A2aAgentExecutor(RemoteAgentClient client) {
        this.client = client;
    }

    @Override
    public String kind() {
        return "a2a";
    }

    /** {@inheritDoc} See {@link RemoteAgentClient#execute}: the same guard, endpoint rules and failures. */
    @Override
    public Uni<AgentReply> execute(AgentRequest request) {
        return client.execute(request);
    }
}
