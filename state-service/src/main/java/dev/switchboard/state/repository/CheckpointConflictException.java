package dev.switchboard.state.repository;

/**
 * Another writer already stored this version (or checkpoint id) of the thread: the caller lost the race and
 * must reload before writing again. Internal signal, never sent to clients as such.
 */
public class CheckpointConflictException extends RuntimeException {

    /**
     * @param threadId the thread
     * @param version  the version that was taken
     * @param cause    the unique violation
     */
    public CheckpointConflictException(String threadId, long version, Throwable cause) {
        super("Version " + version + " of thread " + threadId + " already exists", cause);
    }
}
