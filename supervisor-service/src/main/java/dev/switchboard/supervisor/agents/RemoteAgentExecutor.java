package dev.switchboard.supervisor.agents;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Runs {@code remote} agents: the turn is POSTed as JSON to the agent's endpoint ({@link RemoteAgentClient}) under the
 * agent version's guard.
 */
@ApplicationScoped
public class RemoteAgentExecutor implements AgentExecutor {

    private final AgentGuards guards;
    private final RemoteAgentClient client;

    RemoteAgentExecutor(AgentGuards guards, RemoteAgentClient client) {
        this.guards = guards;
        this.client = client;
    }

    @Override
    public String kind() {
        return "remote";
    }

    /** {@inheritDoc} See {@link AgentGuards#callRemote} for the failures. */
    @Override
    public Uni<AgentReply> execute(AgentRequest request) {
        return guards.callRemote(request, "Remote", endpoint -> client.post(endpoint, request));
    }
}
