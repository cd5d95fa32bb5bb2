package dev.switchboard.state;

import dev.switchboard.common.problem.ProblemException;
import java.util.Map;

/**
 * {@link StateProblem#DEPENDENCY_UNAVAILABLE}: PostgreSQL or Redis is unreachable or did not answer within its
 * timeout ({@code DB_TIMEOUT}, {@code REDIS_TIMEOUT}); the client may retry after {@code Retry-After} seconds.
 */
public class DependencyUnavailableException extends ProblemException {

    /** Name of PostgreSQL in details and metrics. */
    public static final String POSTGRESQL = "postgresql";
    /** Name of Redis in details and metrics. */
    public static final String REDIS = "redis";

    private final String dependency;

    /**
     * @param dependency {@link #POSTGRESQL} or {@link #REDIS}
     * @param cause      the connection failure or timeout (logged, never sent)
     */
    public DependencyUnavailableException(String dependency, Throwable cause) {
        super(
                StateProblem.DEPENDENCY_UNAVAILABLE,
                dependency + " is unavailable; retry shortly",
                null,
                Map.of("Retry-After", "1"),
                cause);
        this.dependency = dependency;
    }

    /** @return {@link #POSTGRESQL} or {@link #REDIS} */
    public String dependency() {
        return dependency;
    }

    /** @return whether {@code failure} is Redis being unavailable (reads fall back to PostgreSQL then) */
    public static boolean isRedis(Throwable failure) {
        return failure instanceof DependencyUnavailableException d && REDIS.equals(d.dependency);
    }
}
