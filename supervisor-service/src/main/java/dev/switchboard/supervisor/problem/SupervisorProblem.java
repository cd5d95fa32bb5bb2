package dev.switchboard.supervisor.problem;

import dev.switchboard.common.problem.ProblemType;

/**
 * The problem types of supervisor-service's own (the shared ones are
 * {@link dev.switchboard.common.problem.CommonProblem}), and its view of the peers' types it passes on to its
 * clients. Only kinds a client can receive are here: a peer's answer the supervisor turns into one of its own
 * (state-service's {@code stale-fencing-token} becomes {@link #LEASE_LOST}) or never shows a client (GoHighLevel's
 * failures, which a webhook queue row records as text) is not.
 */
public enum SupervisorProblem implements ProblemType {

    /** An authentic webhook body that is not a JSON object or lacks the contact or location ids. */
    MALFORMED_WEBHOOK("malformed-webhook", 400, "Malformed webhook"),
    /** A webhook delivery without a valid signature or shared secret, or with a {@code timestamp} too old. */
    INVALID_WEBHOOK_SIGNATURE("invalid-webhook-signature", 401, "Webhook not authenticated"),
    /**
     * An authentic GoHighLevel delivery for a location (or app) this deployment does not serve
     * ({@code GHL_LOCATION_IDS}, {@code GHL_APP_ID}); nothing is stored.
     */
    LOCATION_NOT_ALLOWED("location-not-allowed", 403, "Location not allowed"),
    /**
     * A client named a session id in a webhook provider's namespace (e.g. {@code ghl:}): only the webhook queue writes
     * those sessions; nothing is stored.
     */
    RESERVED_SESSION_ID("reserved-session-id", 403, "Session id reserved"),
    /** No agent is registered under the name (asked by the supervisor, or answered by agent-registry-service). */
    AGENT_NOT_FOUND("agent-not-found", 404, "Agent not found"),
    /** state-service knows no such session. */
    SESSION_NOT_FOUND("session-not-found", 404, "Session not found"),
    /** {@code POST /webhooks/{provider}} names no provider. */
    WEBHOOK_PROVIDER_NOT_FOUND("webhook-provider-not-found", 404, "Webhook provider not found"),
    /** The message queue has no row with that id. */
    QUEUE_ROW_NOT_FOUND("queue-row-not-found", 404, "Queue row not found"),
    /** The named agent exists but is inactive, draining or unhealthy. */
    AGENT_UNAVAILABLE("agent-unavailable", 409, "Agent unavailable"),
    /** The session is working on another message (strategy {@code reject}), or kept changing while a turn was saved. */
    SESSION_BUSY("session-busy", 409, "Session busy"),
    /** The turn outlived its session lease and another request took the session over; nothing was recorded. */
    LEASE_LOST("lease-lost", 409, "Session lease lost"),
    /** The session belongs to another user (state-service's answer, passed on). */
    SESSION_USER_MISMATCH("session-user-mismatch", 409, "Session belongs to another user"),
    /**
     * The first request with this idempotency key (the {@code Idempotency-Key} header, an A2A {@code messageId}) is
     * still running; {@code Retry-After}, then resend for its answer.
     */
    IDEMPOTENCY_KEY_IN_USE("idempotency-key-in-use", 409, "Idempotency key in use"),
    /** A user of that name already exists. */
    USER_EXISTS("user-exists", 409, "User exists"),
    /** Only a failed (dead-letter) queue row can be replayed. */
    QUEUE_ROW_NOT_FAILED("queue-row-not-failed", 409, "Queue row not replayable"),
    /** The idempotency key was first used with a different request; nothing was done. */
    IDEMPOTENCY_KEY_REUSED("idempotency-key-reused", 422, "Idempotency key reused"),
    /** The user's token bucket is empty; {@code Retry-After} = seconds to the next token. */
    RATE_LIMITED("rate-limited", 429, "Too many requests"),
    /** Too many failed logins for the user name or the address; {@code Retry-After} in seconds. */
    TOO_MANY_FAILED_LOGINS("too-many-failed-logins", 429, "Too many failed logins"),
    /** The webhook was not stored (queue full, too many at once, database failing); {@code Retry-After}. */
    WEBHOOK_BACKPRESSURE("webhook-backpressure", 429, "Webhook not accepted now"),
    /** state-service refused the agent's turn; the user's message was kept as a failed turn. */
    TURN_NOT_STORED("turn-not-stored", 500, "Turn not stored"),
    /** The model or the remote agent failed; the turn is saved with outcome {@code error}. */
    AGENT_FAILED("agent-failed", 502, "Agent failed"),
    /** This replica is at its cap of concurrent turns or of waiting messages; {@code Retry-After: 1}. */
    CAPACITY_EXHAUSTED("capacity-exhausted", 503, "Capacity exhausted"),
    /** The message waited its longest for the session and gave up; {@code Retry-After: 2}. */
    SESSION_BUSY_TIMEOUT("session-busy-timeout", 503, "Session busy: wait timed out"),
    /** This replica is draining; {@code Retry-After: 1} (another replica answers). */
    SHUTTING_DOWN("shutting-down", 503, "Shutting down"),
    /** An {@code llm} agent was chosen but no LLM is configured. */
    LLM_NOT_CONFIGURED("llm-not-configured", 503, "LLM not configured"),
    /** The registry has not been synced yet, or no active agent can take the message; {@code Retry-After: 5}. */
    NO_AGENT_AVAILABLE("no-agent-available", 503, "No agent available"),
    /** A peer (or Redis) is unreachable or its circuit breaker is open; {@code Retry-After: 1}. */
    DEPENDENCY_UNAVAILABLE("dependency-unavailable", 503, "Dependency unavailable"),
    /** The agent did not answer within its time limit; the turn is saved with outcome {@code error}. */
    AGENT_TIMEOUT("agent-timeout", 504, "Agent timed out"),
    /** A peer did not answer in time. */
    DEPENDENCY_TIMEOUT("dependency-timeout", 504, "Dependency timeout");

    private final String slug;
    private final int status;
    private final String title;

    SupervisorProblem(String slug, int status, String title) {
        this.slug = slug;
        this.status = status;
        this.title = title;
    }

    @Override
    public String slug() {
        return slug;
    }

    @Override
    public int status() {
        return status;
    }

    @Override
    public String title() {
        return title;
    }
}
