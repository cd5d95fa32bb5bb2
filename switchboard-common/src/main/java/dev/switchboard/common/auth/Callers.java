package dev.switchboard.common.auth;

import io.quarkus.security.ForbiddenException;
import jakarta.ws.rs.core.SecurityContext;

/**
 * Ownership questions resources ask about an authenticated caller (the role checks themselves are
 * {@code @RolesAllowed}). A non-privileged caller is exactly one user: an API key acts as its name, a JWT as its
 * subject.
 */
public final class Callers {

    private Callers() {}

    /** @return whether the caller is an administrator or another Switchboard service */
    public static boolean isPrivileged(SecurityContext caller) {
        return caller.isUserInRole(Roles.ADMIN) || caller.isUserInRole(Roles.SERVICE);
    }

    /** @return the caller's name: the API key's name or the JWT subject */
    public static String name(SecurityContext caller) {
        return caller.getUserPrincipal() == null
                ? null
                : caller.getUserPrincipal().getName();
    }

    /**
     * The user a request acts for.
     *
     * @param requested the {@code user_id} the request names, or {@code null}
     * @return {@code requested} for a privileged caller (or its own name when absent); the caller's own name
     *         otherwise
     * @throws ForbiddenException (403) when a non-privileged caller names another user
     */
    public static String actingUser(SecurityContext caller, String requested) {
        String self = name(caller);
        if (isPrivileged(caller)) {
            return requested != null ? requested : self;
        }
        if (requested != null && !requested.equals(self)) {
            throw new ForbiddenException(
                    "These credentials act as user '" + self + "' and cannot act for another user");
        }
        return self;
    }

    /**
     * @throws ForbiddenException (403) unless the caller is privileged or is {@code owner}
     */
    public static void requireOwnerOrAdmin(SecurityContext caller, String owner) {
        if (!isPrivileged(caller) && (owner == null || !owner.equals(name(caller)))) {
            throw new ForbiddenException("Only the owning user or an administrator may read this");
        }
    }

    /**
     * A remote agent's credentials (role {@link Roles#AGENT}: an API key named after the agent, or a JWT whose
     * subject is the agent) act only for that agent.
     *
     * @throws ForbiddenException (403) unless the caller is privileged or its name is {@code agent}
     */
    public static void requireSelfOrPrivileged(SecurityContext caller, String agent) {
        if (!isPrivileged(caller) && (agent == null || !agent.equals(name(caller)))) {
            throw new ForbiddenException(
                    "These credentials belong to agent '" + name(caller) + "' and cannot act for another agent");
        }
    }
}
