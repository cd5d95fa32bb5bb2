package dev.switchboard.supervisor.crm.webhook;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;

/**
 * The cutover monitoring queries over {@code message_queue}, restricted to rows that are chat turns (pending,
 * processing, completed, failed — not merely recorded events): success rate by agent and day, booking rate by day
 * (both over the last {@code days}), and per agent performance and agent-to-agent transitions (over the last
 * {@code hours}).
 */
@ApplicationScoped
public class WebhookMonitoring {

    private static final String TURNS = "status IN ('pending', 'processing', 'completed', 'failed')";

    private static final String SUCCESS_RATE = "SELECT processed_by_agent, DATE(created_at) AS date, COUNT(*) AS total,"
            + " COUNT(*) FILTER (WHERE status = 'completed') * 100.0 / COUNT(*) AS success_rate"
            + " FROM supervisor.message_queue WHERE " + TURNS + " AND created_at > now() - make_interval(days => $1)"
            + " GROUP BY processed_by_agent, DATE(created_at) ORDER BY date, processed_by_agent NULLS LAST";

    private static final String BOOKING_RATE = "SELECT DATE(created_at) AS date, COUNT(*) AS total,"
            + " COUNT(*) FILTER (WHERE appointment_booked = true) AS booked,"
            + " COUNT(*) FILTER (WHERE appointment_booked = true) * 100.0 / COUNT(*) AS booking_rate"
            + " FROM supervisor.message_queue WHERE " + TURNS + " AND created_at > now() - make_interval(days => $1)"
            + " GROUP BY DATE(created_at) ORDER BY date";

    private static final String AGENT_PERFORMANCE = "SELECT processed_by_agent, COUNT(*) AS total_messages,"
            + " AVG(EXTRACT(EPOCH FROM (updated_at - created_at))) AS avg_response_time,"
            + " COUNT(*) FILTER (WHERE status = 'completed') * 100.0 / COUNT(*) AS success_rate"
            + " FROM supervisor.message_queue WHERE " + TURNS + " AND created_at > now() - make_interval(hours => $1)"
            + " GROUP BY processed_by_agent ORDER BY total_messages DESC";

    private static final String TRANSITIONS = "SELECT current_agent, next_agent, COUNT(*) AS transition_count FROM ("
            + " SELECT LAG(processed_by_agent) OVER (PARTITION BY contact_id ORDER BY created_at, id) AS current_agent,"
            + " processed_by_agent AS next_agent FROM supervisor.message_queue"
            + " WHERE " + TURNS + " AND processed_by_agent IS NOT NULL"
            + " AND created_at > now() - make_interval(hours => $1)) transitions"
            + " WHERE current_agent IS NOT NULL GROUP BY current_agent, next_agent ORDER BY transition_count DESC";

    private final MessageQueueRepository queue;

    WebhookMonitoring(MessageQueueRepository queue) {
        this.queue = queue;
    }

    /**
     * The report.
     *
     * @param days  window of the success and booking rates (seed: 7)
     * @param hours window of agent performance and transitions (seed: 24)
     * @return {@code success_rate}, {@code booking_rate}, {@code agent_performance}, {@code transitions} (lists of
     *         rows; rates in percent, {@code avg_response_time} in seconds from arrival to last update) and
     *         {@code queue} (rows per status)
     */
    public Uni<Map<String, Object>> report(int days, int hours) {
        return Uni.combine()
                .all()
                .unis(
                        queue.query(SUCCESS_RATE, Tuple.of(days)),
                        queue.query(BOOKING_RATE, Tuple.of(days)),
                        queue.query(AGENT_PERFORMANCE, Tuple.of(hours)),
                        queue.query(TRANSITIONS, Tuple.of(hours)),
                        queue.countByStatus())
                .with((success, booking, performance, transitions, counts) -> Map.of(
                        "window_days",
                        days,
                        "window_hours",
                        hours,
                        "success_rate",
                        success,
                        "booking_rate",
                        booking,
                        "agent_performance",
                        performance,
                        "transitions",
                        transitions,
                        "queue",
                        counts));
    }
}
