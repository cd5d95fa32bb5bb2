package dev.switchboard.prompts;

import dev.switchboard.common.problem.ProblemException;

/**
 * {@link PromptProblem#DEPENDENCY_UNAVAILABLE}: agent-registry-service could not be asked whether an agent uses a prompt,
 * so a delete is refused rather than risk breaking a live agent ({@code ?force=true} skips the check).
 */
public class RegistryUnavailableException extends ProblemException {

    /** @param cause what went wrong (logged, never sent) */
    public RegistryUnavailableException(Throwable cause) {
        super(
                PromptProblem.DEPENDENCY_UNAVAILABLE,
                "agent-registry-service could not be asked whether an active agent"
                        + " uses this prompt; retry, or delete with ?force=true",
                null,
                java.util.Map.of("Retry-After", "5"),
                cause);
    }
}
