package dev.switchboard.supervisor.ops;

import dev.switchboard.supervisor.peers.SupervisorInstance;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /system/stats} answer (cluster-wide, the same from every replica):
 * {@code {"timestamp","supervisor_id","instances":[...],"instances_up","sessions_active","messages_per_second",
 * "turns_last_minute","agents":{"total","by_status"},"routing":{"by_method","by_agent"},"errors":{"total","by_type"},
 * "window_seconds","warnings"?}}.
 *
 * @param timestamp         ISO-8601 UTC
 * @param supervisorId      the replica that answered
 * @param instances         every registered supervisor replica (registry's {@code GET /supervisors})
 * @param instancesUp       replicas with status {@code up}
 * @param sessionsActive    turns in progress over the {@code up} replicas (their last heartbeats)
 * @param messagesPerSecond turns per second over the window, all replicas
 * @param turnsLastMinute   turns finished in the window, all replicas
 * @param agents            registered agents by status
 * @param routing           turns in the window by routing method and by agent
 * @param errors            failed turns in the window by problem slug
 * @param windowSeconds     window length (60)
 * @param warnings          what could not be read (absent when everything answered)
 */
public record SystemStats(
        String timestamp,
        String supervisorId,
        List<SupervisorInstance> instances,
        int instancesUp,
        long sessionsActive,
        double messagesPerSecond,
        long turnsLastMinute,
        Agents agents,
        Routing routing,
        Errors errors,
        int windowSeconds,
        List<String> warnings) {

    /**
     * @param total    registered agents
     * @param byStatus agents per status ({@code active}, {@code inactive}, {@code draining}, {@code unhealthy} always present)
     */
    public record Agents(int total, Map<String, Integer> byStatus) {}

    /**
     * @param byMethod turns per routing method
     * @param byAgent  turns per agent
     */
    public record Routing(Map<String, Long> byMethod, Map<String, Long> byAgent) {}

    /**
     * @param total  failed turns
     * @param byType failed turns per problem slug (e.g. {@code llm-not-configured})
     */
    public record Errors(long total, Map<String, Long> byType) {}
}
