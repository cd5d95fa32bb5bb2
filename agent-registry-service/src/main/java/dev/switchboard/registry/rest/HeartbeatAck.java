package dev.switchboard.registry.rest;

import java.time.Instant;

/**
 * Body of {@code POST /agents/{name}/heartbeat}: {@code {"name","status","last_heartbeat"}}.
 *
 * @param name          the agent
 * @param status        its status after the heartbeat ({@code unhealthy} became {@code active})
 * @param lastHeartbeat the recorded heartbeat time
 */
public record HeartbeatAck(String name, String status, Instant lastHeartbeat) {}
