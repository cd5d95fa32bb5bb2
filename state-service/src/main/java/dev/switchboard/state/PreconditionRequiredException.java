package dev.switchboard.state;

import dev.switchboard.common.problem.ProblemException;

/** 428 {@code precondition-required}: a PATCH without {@code If-Match}. */
public class PreconditionRequiredException extends ProblemException {

    /** Creates the problem. */
    public PreconditionRequiredException() {
        super("precondition-required", "Precondition required", 428,
                "Send If-Match with the session version (from its ETag or version field)");
    }
}
