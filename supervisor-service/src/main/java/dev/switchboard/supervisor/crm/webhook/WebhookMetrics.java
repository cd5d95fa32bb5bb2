package dev.switchboard.supervisor.crm.webhook;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Webhook and queue meters ({@code switchboard.webhook.*}); the cutover monitoring as Prometheus series: success
 * rate by agent = {@code switchboard_webhook_turns_total{outcome="completed"}} / all outcomes, booking rate =
 * {@code switchboard_webhook_appointments_booked_total} / completed turns, agent-to-agent transitions =
 * {@code switchboard_webhook_agent_transitions_total{from,to}}.
 */
@ApplicationScoped
public class WebhookMetrics {

    private final MeterRegistry meters;
    private final Map<String, AtomicLong> depth = new ConcurrentHashMap<>();

    WebhookMetrics(MeterRegistry meters) {
        this.meters = meters;
        for (String status : new String[] {QueueRow.PENDING, QueueRow.PROCESSING, QueueRow.FAILED}) {
            AtomicLong value = new AtomicLong();
            depth.put(status, value);
            Gauge.builder("switchboard.webhook.queue.depth", value, AtomicLong::get)
                    .description("message_queue rows per status (cluster-wide, as of this replica's last poll)")
                    .tag("status", status)
                    .register(meters);
        }
    }

    /** One delivery's outcome: queued, recorded, duplicate, ignored, rejected, throttled. */
    public void received(String provider, String type, String outcome) {
        Counter.builder("switchboard.webhook.events")
                .description("Webhook deliveries by provider, type and outcome")
                .tag("provider", provider)
                .tag("type", type == null ? "unknown" : type)
                .tag("outcome", outcome)
                .register(meters)
                .increment();
    }

    /**
     * A delivery refused before anything was stored ({@code switchboard_webhook_refused_total}), by the problem type
     * it was answered with: {@code invalid-webhook-signature}, {@code malformed-webhook}, {@code location-not-allowed},
     * {@code payload-too-large}, {@code webhook-provider-not-found} (a provider switched off).
     *
     * @param provider a registered provider's name (never a name from the path that matched none)
     * @param reason   the problem type's slug
     */
    public void refused(String provider, String reason) {
        Counter.builder("switchboard.webhook.refused")
                .description("Webhook deliveries refused before anything was stored, by provider and problem type")
                .tag("provider", provider)
                .tag("reason", reason)
                .register(meters)
                .increment();
    }

    /** A processed row's outcome: completed, retried, failed. */
    public void turn(String agent, String outcome) {
        Counter.builder("switchboard.webhook.turns")
                .description("Queued webhook messages processed, by agent and outcome")
                .tag("agent", agent == null ? "none" : agent)
                .tag("outcome", outcome)
                .register(meters)
                .increment();
    }

    /** A completed row's time from arrival to completion. */
    public void completed(Duration sinceArrival) {
        Timer.builder("switchboard.webhook.processing.duration")
                .description("Webhook arrival to reply sent and row completed")
                .register(meters)
                .record(sinceArrival);
    }

    /** An appointment booked by a webhook turn. */
    public void appointmentBooked() {
        Counter.builder("switchboard.webhook.appointments.booked")
                .description("Appointments booked by webhook turns")
                .register(meters)
                .increment();
    }

    /** The contact's previous message was answered by {@code from}, this one by {@code to}. */
    public void transition(String from, String to) {
        Counter.builder("switchboard.webhook.agent.transitions")
                .description("Agent of a contact's previous message to agent of the next")
                .tag("from", from)
                .tag("to", to)
                .register(meters)
                .increment();
    }

    /** Updates the depth gauges from a status count. */
    public void depth(Map<String, Long> counts) {
        depth.forEach((status, value) -> value.set(counts.getOrDefault(status, 0L)));
    }

    /** @return the pending depth as of the last poll (back-pressure) */
    public long pending() {
        return depth.get(QueueRow.PENDING).get();
    }
}
