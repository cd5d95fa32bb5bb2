package dev.switchboard.supervisor.peers;

import io.smallrye.faulttolerance.api.Guard;
import io.smallrye.mutiny.Uni;
import java.time.temporal.ChronoUnit;
import java.util.function.Supplier;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;

/**
 * One peer's fault-tolerance policy: its numbers (a {@link FaultToleranceConfig.Policy} block) and its failure
 * {@link Rules}. Every guarded call to the peer is made here as a SmallRye Fault Tolerance {@link Guard} — a timeout
 * per attempt, a circuit breaker, and retries only for calls declared {@link #repeatable safe to repeat} — so all
 * calls of a peer follow the same numbers and the same reading of failures.
 *
 * <p>Each call keeps a breaker of its own, named {@code <peer>:<call>} (e.g. {@code state-service:append-turn}), so
 * that {@code CircuitBreakerMaintenance} can read and reset it and one failing endpoint does not shut the others:
 * session reads keep working while turn appends time out. The guards are built programmatically rather than applied
 * with {@code @ApplyGuard}: one guard object is one breaker and one retry rule for every method it is applied to,
 * and a turn append or a message send must never be repeated where a read may be.
 *
 * <p>A call's failures reach its caller only as the peer's typed problems ({@link Rules#problem}): what the peer
 * answered (already typed by the REST client's {@code ResponseExceptionMapper}), a transport failure, the guard's
 * own timeout (504) or open breaker (503). A refusal ({@link Rules#refused}, the peer's 4xx) is never retried and
 * never counted by the breaker: it is the caller's fault, not the peer's.
 */
public final class PeerPolicy {

    /** How a peer's failures read. */
    public interface Rules {

        /**
         * @param failure a failure of one attempt, already passed through {@link #problem}
         * @return whether the peer refused the request (its 4xx): never retried, never a breaker failure
         */
        boolean refused(Throwable failure);

        /**
         * @param failure a failure of one attempt, already passed through {@link #problem}, or the guard's
         *                {@code TimeoutException}
         * @return whether a call that is safe to repeat may be sent again after it
         */
        boolean repeatable(Throwable failure);

        /**
         * @param failure anything a call can fail with: the REST client's typed exception (possibly wrapped), a
         *                transport failure, the guard's {@code TimeoutException} or {@code CircuitBreakerOpenException}
         * @return the peer's typed problem for it; a typed problem is returned as it is
         */
        Throwable problem(Throwable failure);
    }

    @SuppressWarnings("rawtypes")
    private static final Class UNI = Uni.class;

    private final String peer;
    private final FaultToleranceConfig.Policy numbers;
    private final Rules rules;

    /**
     * @param peer    the peer's name, first part of every breaker name, e.g. {@code state-service}
     * @param numbers the peer's block of {@code supervisor.fault-tolerance}
     * @param rules   how the peer's failures read
     */
    public PeerPolicy(String peer, FaultToleranceConfig.Policy numbers, Rules rules) {
        this.peer = peer;
        this.numbers = numbers;
        this.rules = rules;
    }

    /** @return the peer's name */
    public String peer() {
        return peer;
    }

    /**
     * A call that is safe to repeat (a read, an idempotent upsert): retried up to {@code retry.max-retries} times
     * after a {@link Rules#repeatable} failure.
     *
     * @param call the call's name, e.g. {@code find-session}; its breaker is {@code <peer>:<call>}
     * @return the guarded call; build each once (a breaker name can be registered only once)
     */
    public Call repeatable(String call) {
        return new Call(guard(call, true));
    }

    /**
     * A call that must reach the peer at most once per request (a turn append, a message send): never retried.
     *
     * @param call the call's name, e.g. {@code append-turn}; its breaker is {@code <peer>:<call>}
     * @return the guarded call; build each once (a breaker name can be registered only once)
     */
    public Call once(String call) {
        return new Call(guard(call, false));
    }

    private Guard guard(String call, boolean repeatable) {
        String name = peer + ":" + call;
        Guard.Builder builder = Guard.create()
                .withDescription(name)
                .withTimeout()
                .duration(numbers.timeout().toMillis(), ChronoUnit.MILLIS)
                .done()
                .withCircuitBreaker()
                .name(name)
                .requestVolumeThreshold(numbers.circuitBreaker().requestVolumeThreshold())
                .failureRatio(numbers.circuitBreaker().failureRatio())
                .delay(numbers.circuitBreaker().delay().toMillis(), ChronoUnit.MILLIS)
                .when(failure -> !rules.refused(failure))
                .done();
        if (repeatable && numbers.retry().maxRetries() > 0) {
            builder.withRetry()
                    .maxRetries(numbers.retry().maxRetries())
                    .delay(numbers.retry().delay().toMillis(), ChronoUnit.MILLIS)
                    .jitter(numbers.retry().jitter().toMillis(), ChronoUnit.MILLIS)
                    // an open breaker fails every attempt at once: repeating it only burns the retries
                    .whenException(failure -> !(failure instanceof CircuitBreakerOpenException)
                            && !rules.refused(failure)
                            && rules.repeatable(failure))
                    .done();
        }
        return builder.build();
    }

    /** One guarded call to the peer. */
    public final class Call {

        private final Guard guard;

        private Call(Guard guard) {
            this.guard = guard;
        }

        /**
         * Runs {@code action} under the call's guard.
         *
         * @param action one attempt; called again for each retry
         * @return the action's item; fails only with the peer's typed problems ({@link Rules#problem})
         */
        @SuppressWarnings("unchecked")
        public <T> Uni<T> run(Supplier<Uni<T>> action) {
            // attempts' failures are typed before the breaker and the retry look at them, the guard's own afterwards
            Supplier<Uni<T>> typed = () -> action.get().onFailure().transform(rules::problem);
            return ((Uni<T>) guard.get(typed, (Class<Uni<T>>) UNI)).onFailure().transform(rules::problem);
        }
    }
}
