package dev.switchboard.supervisor.crm.ghl;

import dev.switchboard.common.problem.ProblemException;

/**
 * 504 {@code ghl-timeout}: the GoHighLevel API did not answer in time (or the exchange broke off). Whether it carried
 * out the request is unknown, so a message send that timed out is never repeated automatically (at most one reply per event).
 */
public class GhlTimeoutException extends ProblemException {

    /**
     * @param detail what timed out
     * @param cause  underlying failure (logged, never sent)
     */
    public GhlTimeoutException(String detail, Throwable cause) {
        super("ghl-timeout", "GoHighLevel timeout", 504, detail, null, null, cause);
    }
}
