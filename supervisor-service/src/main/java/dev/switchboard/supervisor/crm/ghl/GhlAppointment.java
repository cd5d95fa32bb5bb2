package dev.switchboard.supervisor.crm.ghl;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * GHL's answer to {@code POST /calendars/events/appointments} (the fields we use).
 *
 * @param id                GHL's appointment (event) id
 * @param calendarId        the calendar
 * @param contactId         the contact
 * @param startTime         ISO-8601 start
 * @param endTime           ISO-8601 end
 * @param title             title
 * @param appointmentStatus e.g. {@code confirmed}
 */
@JsonNaming(PropertyNamingStrategies.LowerCamelCaseStrategy.class)
@JsonIgnoreProperties(ignoreUnknown = true)
public record GhlAppointment(
        String id,
        String calendarId,
        String contactId,
        String startTime,
        String endTime,
        String title,
        String appointmentStatus) {}
