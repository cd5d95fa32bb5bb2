package dev.switchboard.supervisor.crm.ghl;

import dev.switchboard.common.problem.ProblemException;
import java.util.Map;

/**
 * 503 {@code ghl-unavailable}: the GoHighLevel API could not take the call — unreachable, 5xx, 429, or its circuit
 * breaker is open. The request was not carried out, so it is safe to try again later.
 */
public class GhlUnavailableException extends ProblemException {

    private final boolean breakerOpen;

    /**
     * @param detail      what failed (no secrets)
     * @param breakerOpen whether the breaker refused the call without sending it
     * @param cause       underlying failure (logged, never sent)
     */
    public GhlUnavailableException(String detail, boolean breakerOpen, Throwable cause) {
        super("ghl-unavailable", "GoHighLevel unavailable", 503, detail, null, Map.of("Retry-After", "5"), cause);
        this.breakerOpen = breakerOpen;
    }

    /** @return whether the circuit breaker was open (nothing was sent) */
    public boolean breakerOpen() {
        return breakerOpen;
    }
}
