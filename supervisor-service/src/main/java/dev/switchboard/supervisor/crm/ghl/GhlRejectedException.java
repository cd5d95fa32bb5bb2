package dev.switchboard.supervisor.crm.ghl;

import dev.switchboard.common.problem.ProblemException;

/**
 * 502 {@code ghl-rejected}: the GoHighLevel API refused the request with a 4xx other than 429 (bad token, unknown
 * contact or calendar, invalid slot). Retrying the same request will not help; it never trips the breaker.
 */
public class GhlRejectedException extends ProblemException {

    private final int upstreamStatus;

    /**
     * @param upstreamStatus the status GHL answered
     * @param detail         what was refused (GHL's message, no secrets)
     */
    public GhlRejectedException(int upstreamStatus, String detail) {
        super("ghl-rejected", "GoHighLevel rejected the request", 502, detail);
        this.upstreamStatus = upstreamStatus;
    }

    /** @return the HTTP status GoHighLevel answered */
    public int upstreamStatus() {
        return upstreamStatus;
    }
}
