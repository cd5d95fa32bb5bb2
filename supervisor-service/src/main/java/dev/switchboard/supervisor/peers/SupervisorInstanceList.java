package dev.switchboard.supervisor.peers;

import java.util.List;

/**
 * agent-registry-service {@code GET /supervisors} body.
 *
 * @param supervisors the instances, sorted by id
 * @param count       how many
 */
public record SupervisorInstanceList(List<SupervisorInstance> supervisors, Integer count) {}
