package dev.switchboard.state;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Body of {@code PATCH /sessions/{id}}: each present object is applied as an RFC 7386 JSON merge patch.
 *
 * @param state    merge patch of the session state
 * @param metadata merge patch of the session metadata
 */
public record SessionPatch(ObjectNode state, ObjectNode metadata) {}
