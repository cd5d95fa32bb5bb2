package dev.switchboard.supervisor.crm.webhook;

import dev.switchboard.supervisor.crm.ContactSessions;
import dev.switchboard.supervisor.crm.calendar.BookingListener;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Records a booking made in a CRM contact session on the queue row being processed for it ({@code appointment_booked},
 * {@code workflow_state.appointments}; one row per session is in processing at a time), and counts it.
 */
@ApplicationScoped
class QueueBookingListener implements BookingListener {

    private final MessageQueueRepository queue;
    private final WebhookMetrics metrics;

    QueueBookingListener(MessageQueueRepository queue, WebhookMetrics metrics) {
        this.queue = queue;
        this.metrics = metrics;
    }

    @Override
    public Uni<Void> booked(String sessionId, String appointmentId) {
        if (ContactSessions.parse(sessionId).isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return queue.markAppointmentBooked(sessionId, appointmentId)
                .invoke(rows -> {
                    if (rows > 0) {
                        metrics.appointmentBooked();
                    }
                })
                .replaceWithVoid();
    }
}
