package dev.switchboard.supervisor.crm.calendar;

import dev.switchboard.supervisor.config.SupervisorConfig;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;

/**
 * The calendar settings every calendar backend applies (the local PostgreSQL calendar and the GoHighLevel one):
 * business time zone, slot length, widest availability range and longest appointment, and the range check of
 * {@code check_availability}.
 *
 * @param zone               business time zone ({@code BUSINESS_TIMEZONE})
 * @param slotMinutes        length of a bookable slot, minutes
 * @param maxRangeDays       widest availability range, days (inclusive)
 * @param maxDurationMinutes longest appointment, minutes
 */
public record CalendarRules(ZoneId zone, int slotMinutes, int maxRangeDays, int maxDurationMinutes) {

    /** @return the rules of {@code supervisor.calendar.*} */
    public static CalendarRules of(SupervisorConfig config) {
        SupervisorConfig.Calendar calendar = config.calendar();
        return new CalendarRules(
                ZoneId.of(calendar.timezone()),
                calendar.slotMinutes(),
                calendar.maxRangeDays(),
                calendar.maxDurationMinutes());
    }

    /**
     * The problem with an availability range, if any.
     *
     * @return an {@link InvalidCalendarRequestException} for a missing or reversed range or one wider than
     *         {@link #maxRangeDays()} days (counted inclusively); {@code null} when the range is fine
     */
    public InvalidCalendarRequestException rangeProblem(LocalDate from, LocalDate to) {
        if (from == null || to == null || to.isBefore(from)) {
            return new InvalidCalendarRequestException("The end date must not be before the start date");
        }
        if (ChronoUnit.DAYS.between(from, to) + 1 > maxRangeDays) {
            return new InvalidCalendarRequestException("The date range may span at most " + maxRangeDays + " days");
        }
        return null;
    }
}
