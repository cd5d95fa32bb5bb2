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
 */
public record BookingRequest(
        LocalDate date,
        LocalTime startTime,
        int durationMinutes,
        String name,
        String contact,
        String notes,
        String sessionId) {}
