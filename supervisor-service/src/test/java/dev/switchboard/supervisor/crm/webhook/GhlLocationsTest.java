package dev.switchboard.supervisor.crm.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.supervisor.crm.ghl.GhlConfig;
import io.quarkus.runtime.configuration.DurationConverter;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.runtime.configuration.MemorySizeConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Which GoHighLevel locations and app the webhooks accept, from {@code GHL_LOCATION_IDS}, {@code GHL_LOCATION_ID}
 * and {@code GHL_APP_ID}; and that the signed provider is off without any location.
 */
class GhlLocationsTest {

    private static SmallRyeConfig config(Map<String, String> properties) {
        return new SmallRyeConfigBuilder()
                .withMapping(WebhookConfig.class)
                .withMapping(GhlConfig.class)
                // the converters Quarkus registers for these types ("5m", "256K")
                .withConverter(Duration.class, 100, new DurationConverter())
                .withConverter(MemorySize.class, 100, new MemorySizeConverter())
                .withSources(new PropertiesConfigSource(properties, "test", 100))
                .build();
    }

    private static GhlLocations locations(Map<String, String> properties) {
        SmallRyeConfig config = config(properties);
        return new GhlLocations(config.getConfigMapping(WebhookConfig.class), config.getConfigMapping(GhlConfig.class));
    }

    private static GhlWebhookProvider provider(Map<String, String> properties) {
        SmallRyeConfig config = config(properties);
        WebhookConfig webhooks = config.getConfigMapping(WebhookConfig.class);
        return new GhlWebhookProvider(
                webhooks, new ObjectMapper(), new GhlLocations(webhooks, config.getConfigMapping(GhlConfig.class)));
    }

    @Test
    void withoutAnyLocationTheSignedProviderIsOff() {
        GhlLocations none = locations(Map.of());
        assertFalse(none.configured());
        assertThrows(LocationNotAllowedException.class, () -> none.requireAllowed("loc1", null));

        String reason = provider(Map.of()).disabledReason().orElseThrow();
        assertTrue(reason.contains("GHL_LOCATION_IDS"), reason);
        assertTrue(provider(Map.of("supervisor.webhook.ghl.location-ids", "loc1"))
                .disabledReason()
                .isEmpty());
    }

    @Test
    void theSingleApiLocationIsTheListWhenNoListIsSet() {
        GhlLocations single = locations(Map.of("supervisor.ghl.location-id", "locApi"));
        assertEquals(Set.of("locApi"), single.allowed());
        single.requireAllowed("locApi", null);
        assertThrows(LocationNotAllowedException.class, () -> single.requireAllowed("locOther", null));
        assertTrue(provider(Map.of("supervisor.ghl.location-id", "locApi"))
                .disabledReason()
                .isEmpty());
    }

    @Test
    void theListWinsOverTheApiLocation() {
        GhlLocations listed = locations(Map.of(
                "supervisor.webhook.ghl.location-ids", "locA, locB",
                "supervisor.ghl.location-id", "locApi"));
        assertEquals(Set.of("locA", "locB"), listed.allowed());
        listed.requireAllowed("locB", null);
        assertThrows(LocationNotAllowedException.class, () -> listed.requireAllowed("locApi", null));
        assertThrows(LocationNotAllowedException.class, () -> listed.requireAllowed(null, null));
    }

    @Test
    void anotherAppIdIsRefusedAndAMissingOneJudgedByLocation() {
        GhlLocations withApp = locations(Map.of(
                "supervisor.webhook.ghl.location-ids", "locA",
                "supervisor.webhook.ghl.app-id", "app1"));
        withApp.requireAllowed("locA", "app1");
        withApp.requireAllowed("locA", null);
        assertThrows(LocationNotAllowedException.class, () -> withApp.requireAllowed("locA", "app2"));
        // no GHL_APP_ID: any app, the location decides
        locations(Map.of("supervisor.webhook.ghl.location-ids", "locA")).requireAllowed("locA", "app2");
    }
}
