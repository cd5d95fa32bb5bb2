package dev.switchboard.supervisor.crm;

import dev.switchboard.common.validation.Ids;
import dev.switchboard.supervisor.chat.ReservedSessionIds;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The chat session of a CRM contact: {@code ghl:<locationId>:<contactId>} (what LangGraph deployments call {@code langgraph_thread_id}),
 * so every message of one contact in one location continues one conversation, whichever provider delivered it.
 */
public final class ContactSessions {

    /** Prefix of every contact session id: a namespace reserved for the webhook queue. */
    public static final String PREFIX = ReservedSessionIds.GHL;

    private static final Pattern ID = Pattern.compile(Ids.PATTERN);
    private static final Pattern PART = Pattern.compile("[A-Za-z0-9._-]{1,60}");

    private ContactSessions() {}

    /**
     * A location and contact as the session id encodes them.
     *
     * @param locationId GHL location (sub-account) id
     * @param contactId  GHL contact id
     */
    public record Contact(String locationId, String contactId) {}

    /**
     * @param locationId GHL location id ({@code [A-Za-z0-9._-]{1,60}})
     * @param contactId  GHL contact id (same rule)
     * @return {@code ghl:<locationId>:<contactId>}, a valid session id; {@link IllegalArgumentException} otherwise
     */
    public static String sessionId(String locationId, String contactId) {
        if (!isValidPart(locationId) || !isValidPart(contactId)) {
            throw new IllegalArgumentException("location and contact ids must match [A-Za-z0-9._-]{1,60}");
        }
        String id = PREFIX + locationId + ":" + contactId;
        if (!ID.matcher(id).matches()) {
            throw new IllegalArgumentException("session id does not match " + Ids.PATTERN);
        }
        return id;
    }

    /** @return whether the value may be one part of a contact session id */
    public static boolean isValidPart(String value) {
        return value != null && PART.matcher(value).matches();
    }

    /**
     * @param sessionId any session id, may be {@code null}
     * @return the contact when it is a contact session
     */
    public static Optional<Contact> parse(String sessionId) {
        if (sessionId == null || !sessionId.startsWith(PREFIX)) {
            return Optional.empty();
        }
        String[] parts = sessionId.substring(PREFIX.length()).split(":", -1);
        if (parts.length != 2 || !isValidPart(parts[0]) || !isValidPart(parts[1])) {
            return Optional.empty();
        }
        return Optional.of(new Contact(parts[0], parts[1]));
    }
}
