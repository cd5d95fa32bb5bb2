package dev.switchboard.prompts;

import dev.switchboard.common.problem.ProblemException;

/** 404 {@code version-not-found}: the prompt exists but not this version. */
public class VersionNotFoundException extends ProblemException {

    /**
     * @param id the prompt id
     * @param version the version asked for
     */
    public VersionNotFoundException(String id, int version) {
        super("version-not-found", "Version not found", 404, "Prompt '" + id + "' has no version " + version);
    }
}
