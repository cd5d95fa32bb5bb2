package dev.switchboard.supervisor.crm.ghl;

import dev.switchboard.common.problem.ProblemException;

/** 503 {@code ghl-not-configured}: a GoHighLevel call is needed but {@code GHL_API_TOKEN} (or a GHL id) is not set. */
public class GhlNotConfiguredException extends ProblemException {

    /** @param what the missing setting, e.g. {@code GHL_API_TOKEN} */
    public GhlNotConfiguredException(String what) {
        super("ghl-not-configured", "GoHighLevel not configured", 503, what + " is not set");
    }
}
