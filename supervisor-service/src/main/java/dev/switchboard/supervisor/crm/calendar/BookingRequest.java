package dev.switchboard.supervisor.crm.calendar;

import java.time.LocalDate;
import java.time.LocalTime;

/**
 * What to book, in business-local date and time.
 *
 * @param date            the day
 * @param startTime       local start time
 * @param durationMinutes length in minutes (1..{@code supervisor.calendar.max-duration-minutes})
 * @param name            the person the appointment is for (required)
 * @param contact         email or phone (required)
 * @param notes           free text, may be {@code null}
 * @param sessionId       the chat session booking it, may be {@code null}
 * @param idempotencyKey  the tool call booking it ({@code <turn id>:book_appointment:<n>}), may be {@code null}: a
 *                        booking with a key is made once, a repeat answers the booking made then
 */
public record BookingRequest(
        LocalDate date,
        LocalTime startTime,
        int durationMinutes,
        String name,
        String contact,
        String notes,
        String sessionId,
        String idempotencyKey) {

    /** A booking without an idempotency key. */
    public BookingRequest(
            LocalDate date,
            LocalTime startTime,
            int durationMinutes,
            String name,
            String contact,
            String notes,
            String sessionId) {
        this(date, startTime, durationMinutes, name, contact, notes, sessionId, null);
    }
}
