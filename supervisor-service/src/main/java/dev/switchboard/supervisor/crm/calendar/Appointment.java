package dev.switchboard.supervisor.crm.calendar;

import java.time.ZonedDateTime;
import java.util.UUID;

/**
 * One row of {@code supervisor.appointments}.
 *
 * @param id          appointment id
 * @param startsAt    start, in the business time zone
 * @param endsAt      end (exclusive), in the business time zone
 * @param title       short title
 * @param contactName the person the appointment is for
 * @param contact     email or phone of that person
 * @param notes       free text, may be {@code null}
 * @param sessionId   the chat session that booked it, may be {@code null}
 * @param status      {@code booked} or {@code cancelled}
 */
public record Appointment(
        UUID id,
        ZonedDateTime startsAt,
        ZonedDateTime endsAt,
        String title,
        String contactName,
        String contact,
        String notes,
        String sessionId,
        String status) {}
