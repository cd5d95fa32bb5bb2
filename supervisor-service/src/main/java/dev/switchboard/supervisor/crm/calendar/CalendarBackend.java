package dev.switchboard.supervisor.crm.calendar;

import io.smallrye.mutiny.Uni;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;

/**
 * What the calendar tools need from a calendar: free slots and bookings, in the business time zone. Implemented by
 * the local PostgreSQL calendar ({@link CalendarService}) and, for CRM contacts when {@code GHL_CALENDAR_ID} is set,
 * by the GoHighLevel calendar ({@code ghl.GhlCalendarBackend}); {@code ghl.CalendarBackendProducer} picks one per
 * session.
 */
public interface CalendarBackend {

    /** @return the business time zone all local dates and times are in */
    ZoneId zone();

    /** @return the slot length in minutes */
    int slotMinutes();

    /**
     * Free slots between two local dates (inclusive), from now on, ordered by start.
     *
     * @param sessionId the chat session asking (decides the calendar), may be {@code null}
     * @param from      first day
     * @param to        last day
     * @return the slots; fails with {@link InvalidCalendarRequestException} for a bad range
     */
    Uni<List<TimeSlot>> findFreeSlots(String sessionId, LocalDate from, LocalDate to);

    /**
     * Books an appointment.
     *
     * @param request what to book ({@code sessionId} set)
     * @return the booked appointment or a user-readable refusal
     */
    Uni<BookingResult> bookAppointment(BookingRequest request);
}
