package dev.switchboard.supervisor.crm.calendar;

/**
 * Outcome of a booking attempt: either the booked appointment or the reason it could not be booked.
 *
 * @param appointment the new appointment, {@code null} when refused
 * @param refusal     why it was not booked (safe to show to the user), {@code null} when booked
 */
public record BookingResult(Appointment appointment, String refusal) {

    /** @return a successful result */
    public static BookingResult booked(Appointment appointment) {
        return new BookingResult(appointment, null);
    }

    /** @return a refusal with a user-readable reason */
    public static BookingResult refused(String reason) {
        return new BookingResult(null, reason);
    }

    /** @return whether the appointment was written */
    public boolean isBooked() {
        return appointment != null;
    }
}
