package dev.switchboard.supervisor.crm.webhook;

import dev.switchboard.common.problem.ProblemException;
import dev.switchboard.supervisor.problem.SupervisorProblem;

/**
 * 403 {@code location-not-allowed}: an authentic GoHighLevel delivery for a location or app this deployment does not
 * serve ({@link GhlLocations}). Nothing is stored and no turn runs.
 */
public class LocationNotAllowedException extends ProblemException {

    /** @param detail which location or app was refused */
    public LocationNotAllowedException(String detail) {
        super(SupervisorProblem.LOCATION_NOT_ALLOWED, detail);
    }
}
