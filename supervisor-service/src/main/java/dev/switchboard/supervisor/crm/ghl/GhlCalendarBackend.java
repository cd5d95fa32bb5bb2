package dev.switchboard.supervisor.crm.ghl;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.supervisor.config.SupervisorConfig;
import dev.switchboard.supervisor.crm.ContactSessions;
import dev.switchboard.supervisor.crm.calendar.Appointment;
import dev.switchboard.supervisor.crm.calendar.BookingRequest;
import dev.switchboard.supervisor.crm.calendar.BookingResult;
import dev.switchboard.supervisor.crm.calendar.CalendarRules;
import dev.switchboard.supervisor.crm.calendar.InvalidCalendarRequestException;
import dev.switchboard.supervisor.crm.calendar.TimeSlot;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * The GoHighLevel calendar {@code GHL_CALENDAR_ID} for CRM contacts: free slots from
 * {@code GET /calendars/{id}/free-slots} (range as epoch milliseconds, business time zone) and bookings through
 * {@code POST /calendars/events/appointments} for the contact the session belongs to
 * ({@code ghl:<locationId>:<contactId>}), in {@code GHL_LOCATION_ID}, assigned to {@code GHL_ASSIGNED_USER_ID}.
 * The appointment's id shown to the model is a name-based UUID of GHL's event id; GHL's id itself is recorded on
 * the queue row ({@code workflow_state.appointments}).
 */
@ApplicationScoped
public class GhlCalendarBackend {

    private static final Logger LOG = Logger.getLogger(GhlCalendarBackend.class);

    private final GhlClient ghl;
    private final GhlConfig config;
    private final ZoneId zone;
    private final int slotMinutes;
    private final CalendarRules rules;
    private final int maxDurationMinutes;

    GhlCalendarBackend(GhlClient ghl, GhlConfig config, SupervisorConfig supervisor) {
        this.ghl = ghl;
        this.config = config;
        this.rules = CalendarRules.of(supervisor);
        this.zone = rules.zone();
        this.slotMinutes = rules.slotMinutes();
        this.maxDurationMinutes = rules.maxDurationMinutes();
    }

    /** @return whether calendar, location and token are configured (the calendar tools then use GHL for contacts) */
    public boolean isConfigured() {
        return present(config.calendarId().orElse(null))
                && present(config.locationId().orElse(null))
                && present(config.apiToken().orElse(null));
    }

    /**
     * Free slots from GHL between two local dates (inclusive), from {@code now} on.
     *
     * @return slots of {@code slot-minutes} starting at GHL's slot starts; 400 problem for a bad range; GHL errors
     *         as {@link GhlClient} raises them
     */
    public Uni<List<TimeSlot>> findFreeSlots(LocalDate from, LocalDate to, Instant now) {
        InvalidCalendarRequestException problem = rules.rangeProblem(from, to);
        if (problem != null) {
            return Uni.createFrom().failure(problem);
        }
        long start = from.atStartOfDay(zone).toInstant().toEpochMilli();
        long end = to.plusDays(1).atStartOfDay(zone).toInstant().toEpochMilli() - 1;
        return ghl.freeSlots(config.calendarId().orElseThrow(), start, end, zone.getId())
                .map(body -> parseSlots(body, from, to, now));
    }

    /** GHL's {@code {"2030-01-07":{"slots":["2030-01-07T09:00:00-05:00",...]},"traceId":...}} → slots. */
    List<TimeSlot> parseSlots(JsonNode body, LocalDate from, LocalDate to, Instant now) {
        List<TimeSlot> slots = new ArrayList<>();
        if (body == null || !body.isObject()) {
            return slots;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = body.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> day = it.next();
            JsonNode starts = day.getValue().get("slots");
            if (starts == null || !starts.isArray()) {
                continue;
            }
            for (JsonNode s : starts) {
                try {
                    ZonedDateTime start = OffsetDateTime.parse(s.asText()).atZoneSameInstant(zone);
                    LocalDate date = start.toLocalDate();
                    if (start.toInstant().isBefore(now) || date.isBefore(from) || date.isAfter(to)) {
                        continue;
                    }
                    slots.add(new TimeSlot(start, start.plusMinutes(slotMinutes)));
                } catch (DateTimeParseException e) {
                    LOG.debugf("Skipping unparseable GHL slot %s", s.asText());
                }
            }
        }
        slots.sort(Comparator.comparing(TimeSlot::start));
        return slots;
    }

    /**
     * Books in GHL for the contact of the request's session.
     *
     * @return booked (with GHL's appointment id), or refused with a reason for the model (not a contact session,
     *         past, bad duration, GHL refused the slot); GHL unavailability fails the Uni (the tool reports an error)
     */
    public Uni<Booking> bookAppointment(BookingRequest request, Instant now) {
        var contact = ContactSessions.parse(request.sessionId());
        if (contact.isEmpty()) {
            return Uni.createFrom().item(Booking.refused("Bookings in the CRM calendar need a CRM contact"));
        }
        if (request.date() == null || request.startTime() == null) {
            return Uni.createFrom().item(Booking.refused("A date and a start time are required"));
        }
        if (request.durationMinutes() < 1 || request.durationMinutes() > maxDurationMinutes) {
            return Uni.createFrom()
                    .item(Booking.refused("The duration must be between 1 and " + maxDurationMinutes + " minutes"));
        }
        ZonedDateTime start = request.date().atTime(request.startTime()).atZone(zone);
        ZonedDateTime end = start.plusMinutes(request.durationMinutes());
        if (start.toInstant().isBefore(now)) {
            return Uni.createFrom().item(Booking.refused("That time is in the past"));
        }
        String name = request.name() == null || request.name().isBlank()
                ? "contact"
                : request.name().strip();
        String title = "Appointment with " + name;
        GhlAppointmentRequest body = new GhlAppointmentRequest(
                config.calendarId().orElseThrow(),
                config.locationId().orElseThrow(),
                contact.get().contactId(),
                start.toOffsetDateTime().toString(),
                end.toOffsetDateTime().toString(),
                title,
                config.assignedUserId().filter(GhlCalendarBackend::present).orElse(null),
                "confirmed");
        return ghl.createAppointment(body)
                .map(created -> {
                    Appointment appointment = new Appointment(
                            uuidOf(created.id()),
                            start,
                            end,
                            title,
                            name,
                            request.contact() == null ? contact.get().contactId() : request.contact(),
                            request.notes(),
                            request.sessionId(),
                            "booked");
                    LOG.infof(
                            "Booked GHL appointment %s at %s for contact %s",
                            created.id(), start, contact.get().contactId());
                    return new Booking(BookingResult.booked(appointment), created.id());
                })
                .onFailure(GhlRejectedException.class)
                .recoverWithItem(rejected -> {
                    LOG.infof(
                            "GHL refused the booking for contact %s: %s",
                            contact.get().contactId(), rejected.getMessage());
                    return Booking.refused("That time is not available in the calendar");
                });
    }

    /** The name-based UUID the model sees for a GHL appointment id. */
    public static UUID uuidOf(String ghlId) {
        return UUID.nameUUIDFromBytes(("ghl:" + ghlId).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * A booking attempt in GHL.
     *
     * @param result the result for the calendar tool
     * @param ghlId  GHL's appointment id when booked, else {@code null}
     */
    public record Booking(BookingResult result, String ghlId) {

        static Booking refused(String reason) {
            return new Booking(BookingResult.refused(reason), null);
        }
    }

    private static boolean present(String value) {
        return value != null && !value.isBlank();
    }
}
