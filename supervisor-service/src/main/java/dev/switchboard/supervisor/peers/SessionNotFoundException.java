package dev.switchboard.supervisor.peers;

import dev.switchboard.supervisor.problem.SupervisorProblem;

/** 404 {@code session-not-found}: state-service knows no such session. */
public class SessionNotFoundException extends PeerRejectedException {

    /** @param detail the peer's detail, e.g. "Session s1 not found" */
    public SessionNotFoundException(String detail) {
        super(SupervisorProblem.SESSION_NOT_FOUND, detail);
    }
}
