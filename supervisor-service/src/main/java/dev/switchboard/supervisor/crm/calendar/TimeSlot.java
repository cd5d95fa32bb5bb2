package dev.switchboard.supervisor.crm.calendar;

import java.time.ZonedDateTime;

/**
 * A bookable time slot, in the business time zone.
 *
 * @param start first instant of the slot (inclusive)
 * @param end   end of the slot (exclusive)
 */
public record TimeSlot(ZonedDateTime start, ZonedDateTime end) {}
