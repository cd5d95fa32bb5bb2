package dev.switchboard.supervisor.routing;

import dev.switchboard.supervisor.peers.PeerRejectedException;
import dev.switchboard.supervisor.problem.SupervisorProblem;

/** 404 {@code agent-not-found}: no agent of that name is registered. */
public class AgentNotFoundException extends PeerRejectedException {

    /** @param name the unknown agent name */
    public AgentNotFoundException(String name) {
        this("No agent named '" + name + "' is registered", true);
    }

    private AgentNotFoundException(String detail, boolean fromDetail) {
        super(SupervisorProblem.AGENT_NOT_FOUND, detail);
    }

    /**
     * @param detail the registry's own detail text
     * @return the exception for a 404 answered by agent-registry-service
     */
    public static AgentNotFoundException fromPeer(String detail) {
        return new AgentNotFoundException(detail, true);
    }
}
