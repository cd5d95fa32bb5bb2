package dev.switchboard.supervisor.crm.ghl;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * Body of GHL {@code POST /calendars/events/appointments}.
 *
 * @param calendarId        {@code GHL_CALENDAR_ID}
 * @param locationId        {@code GHL_LOCATION_ID}
 * @param contactId         the contact the appointment is for
 * @param startTime         ISO-8601 with offset
 * @param endTime           ISO-8601 with offset
 * @param title             short title
 * @param assignedUserId    {@code GHL_ASSIGNED_USER_ID}, may be {@code null}
 * @param appointmentStatus {@code confirmed}
 */
@JsonNaming(PropertyNamingStrategies.LowerCamelCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record GhlAppointmentRequest(
        String calendarId,
        String locationId,
        String contactId,
        String startTime,
        String endTime,
        String title,
        String assignedUserId,
        String appointmentStatus) {}
