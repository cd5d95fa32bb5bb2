package dev.switchboard.supervisor.crm.calendar;

import dev.switchboard.common.problem.ProblemException;

/** 400 {@code invalid-calendar-request}: a malformed or too wide date range or booking request. */
public class InvalidCalendarRequestException extends ProblemException {

    /** @param detail what is wrong, readable by a user or a model */
    public InvalidCalendarRequestException(String detail) {
        super("invalid-calendar-request", "Invalid calendar request", 400, detail);
    }
}
