package dev.switchboard.prompts;

import dev.switchboard.common.problem.ProblemException;

/**
 * 503 {@code dependency-unavailable}: agent-registry-service could not be asked whether an agent uses a prompt,
 * so a delete is refused rather than risk breaking a live agent ({@code ?force=true} skips the check).
 */
public class RegistryUnavailableException extends ProblemException {

    /** @param cause what went wrong (logged, never sent) */
    public RegistryUnavailableException(Throwable cause) {
        super("dependency-unavailable", "Dependency unavailable", 503,
                "agent-registry-service could not be asked whether an active agent uses this prompt; retry, or delete"
                        + " with ?force=true", null, java.util.Map.of("Retry-After", "5"), cause);
    }
}
