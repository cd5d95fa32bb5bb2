package dev.switchboard.prompts;

import dev.switchboard.common.problem.ProblemException;

/** {@link PromptProblem#VERSION_NOT_FOUND}: the prompt exists but not this version. */
public class VersionNotFoundException extends ProblemException {

    /**
     * @param id the prompt id
     * @param version the version asked for
     */
    public VersionNotFoundException(String id, int version) {
        super(PromptProblem.VERSION_NOT_FOUND, "Prompt '" + id + "' has no version " + version);
    }
}
