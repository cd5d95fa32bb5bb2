package dev.switchboard.supervisor.crm.ghl;

import dev.switchboard.supervisor.crm.ContactSessions;
import dev.switchboard.supervisor.crm.calendar.BookingListener;
import dev.switchboard.supervisor.crm.calendar.BookingRequest;
import dev.switchboard.supervisor.crm.calendar.BookingResult;
import dev.switchboard.supervisor.crm.calendar.CalendarBackend;
import dev.switchboard.supervisor.crm.calendar.CalendarService;
import dev.switchboard.supervisor.crm.calendar.TimeSlot;
import io.quarkus.arc.All;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Produces the {@link CalendarBackend} of the calendar tools: per call, the GoHighLevel calendar for CRM contact
 * sessions ({@code ghl:<location>:<contact>}) when {@code GHL_CALENDAR_ID}, {@code GHL_LOCATION_ID} and
 * {@code GHL_API_TOKEN} are set, else the local PostgreSQL calendar. Every successful booking is told to the
 * {@link BookingListener}s (the CRM webhook queue records it on the conversation's row).
 */
@ApplicationScoped
public class CalendarBackendProducer {

    private static final Logger LOG = Logger.getLogger(CalendarBackendProducer.class);

    private final CalendarService local;
    private final GhlCalendarBackend ghl;
    private final List<BookingListener> listeners;

    CalendarBackendProducer(CalendarService local, GhlCalendarBackend ghl, @All List<BookingListener> listeners) {
        this.local = local;
        this.ghl = ghl;
        this.listeners = listeners;
    }

    void onStart(@Observes StartupEvent event) {
        LOG.infof(
                "Calendar tools: %s",
                ghl.isConfigured()
                        ? "GoHighLevel calendar for CRM contacts (GHL_CALENDAR_ID), local calendar otherwise"
                        : "local calendar (set GHL_CALENDAR_ID, GHL_LOCATION_ID and GHL_API_TOKEN for GoHighLevel)");
    }

    /** @return the session-aware backend */
    @Produces
    @ApplicationScoped
    CalendarBackend calendarBackend() {
        return new SessionCalendar();
    }

    /** Chooses the calendar per session and tells the listeners of each booking. */
    private final class SessionCalendar implements CalendarBackend {

        @Override
        public ZoneId zone() {
            return local.zone();
        }

        @Override
        public int slotMinutes() {
            return local.slotMinutes();
        }

        @Override
        public Uni<List<TimeSlot>> findFreeSlots(String sessionId, LocalDate from, LocalDate to) {
            return useGhl(sessionId) ? ghl.findFreeSlots(from, to, Instant.now()) : local.findFreeSlots(from, to);
        }

        @Override
        public Uni<BookingResult> bookAppointment(BookingRequest request) {
            Uni<GhlCalendarBackend.Booking> booking = useGhl(request.sessionId())
                    ? ghl.bookAppointment(request, Instant.now())
                    : local.bookAppointment(request).map(r -> new GhlCalendarBackend.Booking(r, null));
            return booking.call(b -> b.result().isBooked()
                            ? recordBooking(
                                    request.sessionId(),
                                    b.ghlId() != null
                                            ? "ghl:" + b.ghlId()
                                            : b.result().appointment().id().toString())
                            : Uni.createFrom().voidItem())
                    .map(GhlCalendarBackend.Booking::result);
        }

        private boolean useGhl(String sessionId) {
            return ghl.isConfigured() && ContactSessions.parse(sessionId).isPresent();
        }

        /** Best effort: the appointment exists either way; a listener's failure is logged. */
        private Uni<Void> recordBooking(String sessionId, String appointmentId) {
            Uni<Void> all = Uni.createFrom().voidItem();
            for (BookingListener listener : listeners) {
                all = all.call(() -> listener.booked(sessionId, appointmentId)
                        .onFailure()
                        .recoverWithUni(f -> {
                            LOG.warnf(
                                    "Appointment %s booked but not recorded by %s for session %s: %s",
                                    appointmentId, listener.getClass().getSimpleName(), sessionId, f.getMessage());
                            return Uni.createFrom().voidItem();
                        }));
            }
            return all;
        }
    }
}
