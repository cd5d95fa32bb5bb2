package dev.switchboard.registry;

import dev.switchboard.common.problem.ProblemException;

/** 404 {@code supervisor-not-found}: no supervisor instance is registered under the id (it should register again). */
public class SupervisorNotFoundException extends ProblemException {

    /** @param id the instance id looked up */
    public SupervisorNotFoundException(String id) {
        super("supervisor-not-found", "Supervisor not found", 404,
                "No supervisor instance is registered under the id '" + id + "'; register it again");
    }
}
