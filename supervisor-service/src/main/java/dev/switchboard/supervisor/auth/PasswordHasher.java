package dev.switchboard.supervisor.auth;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.elytron.security.common.BcryptUtil;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.faulttolerance.api.Guard;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.util.TypeLiteral;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * BCrypt (cost 12, about 0.25 s of CPU per check) on a small pool of its own ({@code LOGIN_HASH_THREADS} threads,
 * {@code LOGIN_HASH_QUEUE} waiting), never on the worker threads or event loops that serve chat turns, behind a
 * SmallRye Fault Tolerance bulkhead: when threads and queue are full a check fails at once with
 * {@link org.eclipse.microprofile.faulttolerance.exceptions.BulkheadException} (the login answers 503 with Retry-After), so a flood of
 * logins costs at most these threads' CPU and never an unbounded queue.
 */
@ApplicationScoped
public class PasswordHasher {

    private static final int BCRYPT_COST = 12;

    private final ExecutorService threads;
    private final Guard guard;

    PasswordHasher(AuthSettings settings, MeterRegistry meters) {
        AtomicInteger n = new AtomicInteger();
        this.threads = Executors.newFixedThreadPool(settings.loginHashThreads(), task -> {
            Thread thread = new Thread(task, "password-hash-" + n.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        this.guard = Guard.create()
                .withDescription("password-hash")
                .withBulkhead()
                .limit(settings.loginHashThreads())
                .queueSize(settings.loginHashQueue())
                .onRejected(() -> meters.counter("switchboard_auth_password_checks_rejected_total")
                        .increment())
                .done()
                .build();
    }

    /** @return the BCrypt hash of {@code password}; fails with {@code BulkheadException} when overloaded */
    public Uni<String> hash(String password) {
        return guard.get(
                () -> Uni.createFrom()
                        .item(() -> BcryptUtil.bcryptHash(password, BCRYPT_COST))
                        .runSubscriptionOn(threads),
                new TypeLiteral<Uni<String>>() {});
    }

    /**
     * Checks {@code password} against {@code hash}, or against a fixed hash when there is no user, so an unknown user
     * costs the same as a wrong password.
     *
     * @return whether it matches; fails with {@code BulkheadException} when overloaded
     */
    public Uni<Boolean> matches(String password, Optional<String> hash) {
        return guard.get(
                () -> Uni.createFrom()
                        .item(() -> BcryptUtil.matches(password, hash.orElseGet(UnknownUser::hash)))
                        .runSubscriptionOn(threads),
                new TypeLiteral<Uni<Boolean>>() {});
    }

    void onStop(@Observes ShutdownEvent event) {
        threads.shutdownNow();
    }

    /**
     * The hash a password is checked against when the user does not exist. Made on the first failed lookup (on a
     * hashing thread), not at start: a hash at cost 12 takes about 0.25 s.
     */
    private static final class UnknownUser {
        private static final String HASH = BcryptUtil.bcryptHash("switchboard-no-such-user", BCRYPT_COST);

        static String hash() {
            return HASH;
        }
    }
}
