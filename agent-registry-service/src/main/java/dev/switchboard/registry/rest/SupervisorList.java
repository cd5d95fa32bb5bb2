package dev.switchboard.registry.rest;

import dev.switchboard.registry.SupervisorInstance;
import java.util.List;

/**
 * Body of {@code GET /supervisors}: {@code {"supervisors":[...],"count":N}}.
 *
 * @param supervisors the instances, sorted by id
 * @param count       their number
 */
public record SupervisorList(List<SupervisorInstance> supervisors, int count) {}
