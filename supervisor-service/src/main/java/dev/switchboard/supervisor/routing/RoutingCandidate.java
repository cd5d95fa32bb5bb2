package dev.switchboard.supervisor.routing;

/**
 * One agent's score for a message.
 *
 * @param agent agent name
 * @param score probability assigned by the routing head, in [0,1]; the scores of all candidates of one
 *              match sum to 1
 */
public record RoutingCandidate(String agent, double score) {}
