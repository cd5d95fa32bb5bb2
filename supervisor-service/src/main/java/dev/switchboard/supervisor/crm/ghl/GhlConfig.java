package dev.switchboard.supervisor.crm.ghl;

import io.smallrye.config.ConfigMapping;
import java.util.Optional;

/**
 * GoHighLevel API settings ({@code supervisor.ghl.*}; the {@code GHL_*} environment names CRM users know). The base URL is the REST
 * client's {@code quarkus.rest-client.ghl.url} ({@code GHL_API_BASE_URL}).
 */
@ConfigMapping(prefix = "supervisor.ghl")
public interface GhlConfig {

    /** Private integration / OAuth token sent as {@code Authorization: Bearer} ({@code GHL_API_TOKEN}). */
    Optional<String> apiToken();

    /** Sub-account (location) of the calendar bookings ({@code GHL_LOCATION_ID}). */
    Optional<String> locationId();

    /** Calendar the calendar tools use for CRM contacts ({@code GHL_CALENDAR_ID}); absent = local calendar. */
    Optional<String> calendarId();

    /** User the appointments are assigned to ({@code GHL_ASSIGNED_USER_ID}). */
    Optional<String> assignedUserId();
}
