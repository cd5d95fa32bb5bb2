package dev.switchboard.supervisor.crm.ghl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.common.json.JacksonCustomizer;
import io.quarkus.rest.client.reactive.jackson.ClientObjectMapper;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.rest.client.annotation.ClientHeaderParam;
import org.eclipse.microprofile.rest.client.annotation.RegisterProvider;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/**
 * HTTP view of the GoHighLevel API v2 (base URL {@code quarkus.rest-client.ghl.url}, {@code GHL_API_BASE_URL}).
 * Every call carries {@code Version: 2021-04-15} and the bearer token passed by {@link GhlClient}; error answers become
 * typed exceptions in {@link GhlExceptionMapper}.
 */
@RegisterRestClient(configKey = "ghl")
@ClientHeaderParam(name = "Version", value = GhlClient.API_VERSION)
@RegisterProvider(GhlExceptionMapper.class)
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
interface GhlRestClient {

    @POST
    @Path("/conversations/messages")
    Uni<GhlMessageSent> sendMessage(@HeaderParam("Authorization") String authorization, GhlMessage message);

    @GET
    @Path("/calendars/{calendarId}/free-slots")
    Uni<JsonNode> freeSlots(
            @HeaderParam("Authorization") String authorization,
            @PathParam("calendarId") String calendarId,
            @QueryParam("startDate") long startDateMillis,
            @QueryParam("endDate") long endDateMillis,
            @QueryParam("timezone") String timezone);

    @POST
    @Path("/calendars/events/appointments")
    Uni<GhlAppointment> createAppointment(
            @HeaderParam("Authorization") String authorization, GhlAppointmentRequest appointment);

    /**
     * GoHighLevel is a third party: its answers are read with U+FFFD in place of text PostgreSQL cannot store and
     * with numbers kept as text where text is expected, instead of failing the call.
     */
    @ClientObjectMapper
    static ObjectMapper objectMapper(ObjectMapper defaultObjectMapper) {
        return JacksonCustomizer.forThirdPartyText(defaultObjectMapper);
    }
}
