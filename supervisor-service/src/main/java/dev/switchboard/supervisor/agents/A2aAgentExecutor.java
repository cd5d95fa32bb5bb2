package dev.switchboard.supervisor.agents;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Runs {@code a2a} agents: the turn is an A2A {@code message/send} to the agent's endpoint ({@link A2aAgentClient})
 * under the agent version's guard.
 */
@ApplicationScoped
public class A2aAgentExecutor implements AgentExecutor {

    private final AgentGuards guards;
    private final A2aAgentClient client;

    A2aAgentExecutor(AgentGuards guards, A2aAgentClient client) {
        this.guards = guards;
        this.client = client;
    }

    @Override
    public String kind() {
        return "a2a";
    }

    /** {@inheritDoc} See {@link AgentGuards#callRemote} for the failures. */
    @Override
    public Uni<AgentReply> execute(AgentRequest request) {
        return guards.callRemote(request, "A2A", endpoint -> client.sendMessage(endpoint, request));
    }
}
