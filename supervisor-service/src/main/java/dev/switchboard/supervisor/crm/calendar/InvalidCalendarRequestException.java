package dev.switchboard.supervisor.crm.calendar;

/**
 * A malformed or too wide date range or booking request. The calendar tools answer the model with its message; no
 * client ever receives it as a problem.
 */
public class InvalidCalendarRequestException extends RuntimeException {

    /** @param detail what is wrong, readable by a user or a model */
    public InvalidCalendarRequestException(String detail) {
        super(detail);
    }
}
