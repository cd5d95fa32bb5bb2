package dev.switchboard.supervisor.agents;

/**
 * What the execution of one turn found out that the chat path records in the turn's checkpoint metadata: the agent
 * version that ran it (a canary rollout may pick another than the stable one) and, when that version has its own
 * system prompt, the prompt id and version rendered. Written by the executor chain, read after it; one per turn.
 */
public final class TurnTrace {

    private volatile String agentVersion;
    private volatile boolean canary;
    private volatile String promptId;
    private volatile Integer promptVersion;

    /** Records that the turn ran as {@code version}; {@code canary} when it is not the stable version. */
    public void ranAs(String version, boolean canary) {
        this.agentVersion = version;
        this.canary = canary;
    }

    /** Records the system prompt the version rendered instead of the agent's own. */
    public void renderedPrompt(String id, Integer version) {
        this.promptId = id;
        this.promptVersion = version;
    }

    /** @return the version that ran the turn, or {@code null} when no rollout chose one (the stable version ran) */
    public String agentVersion() {
        return agentVersion;
    }

    /** @return whether a canary version ran the turn */
    public boolean canary() {
        return canary;
    }

    /** @return the id of the version's own system prompt, or {@code null} */
    public String promptId() {
        return promptId;
    }

    /** @return the version of {@link #promptId()}, or {@code null} */
    public Integer promptVersion() {
        return promptVersion;
    }
}
