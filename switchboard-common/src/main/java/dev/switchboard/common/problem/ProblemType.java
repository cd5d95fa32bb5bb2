package dev.switchboard.common.problem;

/**
 * One kind of problem a service can answer: the stable slug of its type URI, its HTTP status and its title.
 * Each kind is defined once, as a constant of a catalogue enum ({@link CommonProblem} for the kinds every service
 * shares, one enum per service for its own), and everything that needs it (exceptions, mappers, the OpenAPI
 * document, the README check) takes it from there.
 */
public interface ProblemType {

    /** @return last segment of the type URI, e.g. {@code session-not-found} */
    String slug();

    /** @return the HTTP status every problem of this kind is answered with */
    int status();

    /** @return short human summary of the kind, the same for every occurrence */
    String title();

    /** @return the type URI sent as the problem's {@code type}, e.g. {@code https://switchboard.dev/problems/session-not-found} */
    default String uri() {
        return Problem.TYPE_BASE + slug();
    }
}
