package dev.switchboard.state;

import dev.switchboard.common.problem.ProblemException;

/** {@link StateProblem#PRECONDITION_REQUIRED}: a PATCH without {@code If-Match}. */
public class PreconditionRequiredException extends ProblemException {

    /** Creates the problem. */
    public PreconditionRequiredException() {
        super(
                StateProblem.PRECONDITION_REQUIRED,
                "Send If-Match with the session version (from its ETag or version field)");
    }
}
