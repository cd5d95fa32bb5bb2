package dev.switchboard.common.auth;

/**
 * The roles every Switchboard service checks with {@code @RolesAllowed}; every endpoint names the roles it allows.
 * <ul>
 * <li>{@link #ADMIN}: prompt writes, agent register/update/delete/status/rollout, operator endpoints, any
 * session;</li>
 * <li>{@link #USER}: chat and routing, and reading the caller's own sessions;</li>
 * <li>{@link #SERVICE}: service-to-service calls (the {@code SERVICE_TOKEN});</li>
 * <li>{@link #AGENT}: a remote agent's heartbeats.</li>
 * </ul>
 */
public final class Roles {

    /** Administrators. */
    public static final String ADMIN = "admin";
    /** Chat users and machine chat clients. */
    public static final String USER = "user";
    /** Another Switchboard service, authenticated by the shared service token. */
    public static final String SERVICE = "service";
    /** A remote agent that heartbeats to the registry. */
    public static final String AGENT = "agent";

    private Roles() {}
}
