package dev.switchboard.supervisor.crm.webhook;

import dev.switchboard.supervisor.crm.ContactSessions;
import dev.switchboard.supervisor.crm.ghl.GhlConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The GoHighLevel locations (sub-accounts) and app whose webhooks this deployment accepts, for both GHL providers.
 * GHL signs the webhooks of every marketplace app with one platform-wide key, so a valid signature proves only that
 * GHL sent the delivery, not that it concerns us: the location (and, when {@code GHL_APP_ID} is set, the app) does.
 * The list is {@code GHL_LOCATION_IDS}, else {@code GHL_LOCATION_ID} alone, else empty (the signed provider is off).
 */
@ApplicationScoped
public class GhlLocations {

    private final Set<String> allowed;
    private final String source;
    private final String appId;

    /** CDI constructor. */
    public GhlLocations(WebhookConfig webhooks, GhlConfig ghl) {
        Set<String> listed = webhooks.ghl().locationIds().orElse(List.of()).stream()
                .map(String::strip)
                .filter(id -> !id.isEmpty())
                .collect(Collectors.toUnmodifiableSet());
        Optional<String> single = ghl.locationId().map(String::strip).filter(id -> !id.isEmpty());
        if (!listed.isEmpty()) {
            this.allowed = listed;
            this.source = "GHL_LOCATION_IDS";
        } else if (single.isPresent()) {
            this.allowed = Set.of(single.get());
            this.source = "GHL_LOCATION_ID";
        } else {
            this.allowed = Set.of();
            this.source = null;
        }
        this.appId = webhooks.ghl()
                .appId()
                .map(String::strip)
                .filter(id -> !id.isEmpty())
                .orElse(null);
    }

    /** @return whether any location is configured */
    public boolean configured() {
        return !allowed.isEmpty();
    }

    /** @return the accepted location ids (empty when none is configured) */
    public Set<String> allowed() {
        return allowed;
    }

    /**
     * Refuses a delivery that is not ours.
     *
     * @param locationId the delivery's location, {@code null} when it names none
     * @param appId      the delivery's {@code appId}, {@code null} when it names none
     * @throws LocationNotAllowedException (403) for a missing or unlisted location, or an {@code appId} other than
     *                                     {@code GHL_APP_ID}
     */
    public void requireAllowed(String locationId, String appId) {
        if (this.appId != null && appId != null && !this.appId.equals(appId)) {
            throw new LocationNotAllowedException("The delivery is for another GoHighLevel app than GHL_APP_ID");
        }
        if (locationId == null || !allowed.contains(locationId)) {
            throw new LocationNotAllowedException(
                    locationId == null
                            ? "The delivery names no locationId; only " + source + " locations are accepted"
                            : ContactSessions.isValidPart(locationId)
                                    ? "Location '" + locationId + "' is not one of " + source
                                    : "The location is not one of " + source);
        }
    }

    /** @return the setting the list comes from, for logs; {@code null} when none is set */
    String source() {
        return source;
    }
}
