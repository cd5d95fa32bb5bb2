package dev.switchboard.state.repository;

/**
 * Another writer already stored this version (or checkpoint id) of the session: the caller lost the race and
 * must reload before writing again. Internal signal, never sent to clients as such.
 */
public class CheckpointConflictException extends RuntimeException {

    /**
     * @param sessionId the session
     * @param version   the version that was taken
     * @param cause     the unique violation
     */
    public CheckpointConflictException(String sessionId, long version, Throwable cause) {
        super("Version " + version + " of session " + sessionId + " already exists", cause);
    }
}
