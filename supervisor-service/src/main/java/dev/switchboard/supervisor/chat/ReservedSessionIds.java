package dev.switchboard.supervisor.chat;

import java.util.List;
import java.util.Locale;

/**
 * The session-id namespaces that belong to webhook providers: one prefix per namespace, the one list of them. A
 * session in such a namespace is a CRM contact's conversation; only the webhook queue worker writes it
 * ({@link TurnPipeline#chatInContactSession}); a client naming one is refused with 403 {@code reserved-session-id}
 * ({@link ReservedSessionIdException}), and only an admin reads one.
 */
public final class ReservedSessionIds {

    /**
     * GoHighLevel contact sessions, {@code ghl:<locationId>:<contactId>}, written for both GHL providers
     * ({@code ghl}, {@code ghl-workflow}).
     */
    public static final String GHL = "ghl:";

    /** Every reserved prefix; a new provider namespace is added here. */
    public static final List<String> PREFIXES = List.of(GHL);

    private ReservedSessionIds() {}

    /**
     * @param sessionId any session id, may be {@code null}
     * @return whether it lies in a provider's namespace; compared without regard to case, so that no look-alike
     *         ({@code GHL:…}) can pass for a contact's session anywhere ids are compared loosely
     */
    public static boolean isReserved(String sessionId) {
        if (sessionId == null) {
            return false;
        }
        String id = sessionId.toLowerCase(Locale.ROOT);
        return PREFIXES.stream().anyMatch(id::startsWith);
    }

    /**
     * @throws ReservedSessionIdException (403) when {@code sessionId} is reserved
     */
    public static void requireUnreserved(String sessionId) {
        if (isReserved(sessionId)) {
            throw new ReservedSessionIdException(sessionId);
        }
    }
}
