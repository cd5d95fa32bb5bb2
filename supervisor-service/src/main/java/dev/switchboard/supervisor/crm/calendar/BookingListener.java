package dev.switchboard.supervisor.crm.calendar;

import io.smallrye.mutiny.Uni;

/**
 * Hears of every appointment the calendar tools book, so another feature can record it (the CRM webhook queue marks
 * the conversation's row as booked) without the calendar knowing who listens.
 */
public interface BookingListener {

    /**
     * Called once per successful booking, before the tool answers the model.
     *
     * @param sessionId     the session the booking was made in
     * @param appointmentId the appointment's id ({@code ghl:<id>} for GoHighLevel, else the local UUID)
     * @return completes when recorded; a failure is logged by the caller and never undoes the booking
     */
    Uni<Void> booked(String sessionId, String appointmentId);
}
