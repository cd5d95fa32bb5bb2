package dev.switchboard.supervisor.peers;

/** 404 {@code prompt-not-found} or {@code label-not-found}: prompt-service has no such prompt (label). */
public class PromptNotFoundException extends PeerRejectedException {

    /**
     * @param type   the peer's problem type (prompt-not-found or label-not-found)
     * @param detail the peer's detail
     */
    public PromptNotFoundException(String type, String detail) {
        super(type, "Prompt not found", 404, detail);
    }
}
