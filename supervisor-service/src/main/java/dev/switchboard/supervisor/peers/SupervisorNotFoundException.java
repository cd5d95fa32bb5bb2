package dev.switchboard.supervisor.peers;

/** The registry answered 404 {@code supervisor-not-found} to a heartbeat or deregistration: register again. */
public class SupervisorNotFoundException extends PeerRejectedException {

    /** @param detail the registry's detail */
    public SupervisorNotFoundException(String detail) {
        super("supervisor-not-found", "Supervisor not found", 404, detail);
    }
}
