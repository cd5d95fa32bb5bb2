package dev.switchboard.state;

import jakarta.validation.constraints.Size;

/**
 * How the supervisor picked the agent of a turn.
 *
 * @param method routing method, e.g. {@code explicit}, {@code semantic}, {@code llm}, {@code default}
 * @param score  confidence of the decision (0..1), or {@code null}
 */
public record Routing(@Size(max = 64) String method, Double score) {}
