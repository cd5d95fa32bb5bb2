package dev.switchboard.supervisor.agents;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/** Runs {@code remote} agents: the turn is POSTed as JSON to the agent's endpoint ({@link RemoteAgentClient}). */
@ApplicationScoped
public class RemoteAgentExecutor implements AgentExecutor {

    private final RemoteAgentClient client;

    RemoteAgentExecutor(RemoteAgentClient client) {
        this.client = client;
    }

    @Override
    public String kind() {
        return "remote";
    }

    /** {@inheritDoc} See {@link RemoteAgentClient#execute}. */
    @Override
    public Uni<AgentReply> execute(AgentRequest request) {
        return client.execute(request);
    }
}
