package dev.switchboard.registry.repository;

import dev.switchboard.registry.SupervisorInstance;

/**
 * Outcome of a supervisor registration.
 *
 * @param instance the row after the write
 * @param created  whether it was inserted (201) rather than replaced (200)
 */
public record SupervisorWrite(SupervisorInstance instance, boolean created) {}
