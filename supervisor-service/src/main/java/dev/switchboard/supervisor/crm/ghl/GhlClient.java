package dev.switchboard.supervisor.crm.ghl;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.common.problem.ProblemException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.ConnectException;
import java.net.UnknownHostException;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Fallback;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * Guarded client of the GoHighLevel API: each call has a timeout, a circuit breaker (3 failures in a row open it:
 * calls then fail at once with {@link GhlUnavailableException#breakerOpen()} until a trial call succeeds) and, where
 * repeating is safe, retries. Errors: {@link GhlUnavailableException} 503 (not carried out: unreachable, 5xx, 429,
 * breaker open), {@link GhlTimeoutException} 504 (outcome unknown), {@link GhlRejectedException} 502 (4xx, never
 * retried, never trips the breaker), {@link GhlNotConfiguredException} 503 (no {@code GHL_API_TOKEN}).
 *
 * <p>Fault-tolerance values can be overridden per method, e.g.
 * {@code quarkus.fault-tolerance."dev.switchboard.supervisor.crm.ghl.GhlClient/sendMessage".circuit-breaker.delay=30000}.
 */
@ApplicationScoped
public class GhlClient {

    /** The {@code Version} header GHL's conversations and calendars endpoints are called with. */
    public static final String API_VERSION = "2021-04-15";

    private final GhlRestClient rest;
    private final GhlConfig config;

    GhlClient(@RestClient GhlRestClient rest, GhlConfig config) {
        this.rest = rest;
        this.config = config;
    }

    /**
     * {@code POST /conversations/messages}: sends a message to a contact. Retried only when GHL surely did not take
     * it (unreachable, 5xx, 429); a timeout is not retried, because the message may have gone out.
     *
     * @param message type (channel), contact id and text
     * @return GHL's message id; the errors listed on the class
     */
    @Timeout(10_000)
    @Retry(maxRetries = 2, delay = 300, jitter = 100, retryOn = GhlUnavailableException.class,
            abortOn = { GhlTimeoutException.class, GhlRejectedException.class, CircuitBreakerOpenException.class,
                    TimeoutException.class })
    @CircuitBreaker(requestVolumeThreshold = 3, failureRatio = 1.0, delay = 10_000, successThreshold = 1,
            skipOn = { GhlRejectedException.class, GhlNotConfiguredException.class })
    @Fallback(fallbackMethod = "sendMessageFallback", skipOn = ProblemException.class)
    public Uni<GhlMessageSent> sendMessage(GhlMessage message) {
        return authorization().chain(auth -> rest.sendMessage(auth, message))
                .onFailure().transform(GhlClient::transport);
    }

    /**
     * {@code GET /calendars/{calendarId}/free-slots}: free slots of a calendar (safe to retry).
     *
     * @param calendarId      the calendar
     * @param startDateMillis range start, epoch milliseconds
     * @param endDateMillis   range end, epoch milliseconds
     * @param timezone        IANA zone the slots are expressed in
     * @return GHL's body: {@code {"<yyyy-MM-dd>": {"slots": ["<ISO start>", ...]}, ...}}
     */
    @Timeout(5_000)
    @Retry(maxRetries = 2, delay = 200, jitter = 100, retryOn = GhlUnavailableException.class,
            abortOn = { GhlRejectedException.class, CircuitBreakerOpenException.class })
    @CircuitBreaker(requestVolumeThreshold = 3, failureRatio = 1.0, delay = 10_000, successThreshold = 1,
            skipOn = { GhlRejectedException.class, GhlNotConfiguredException.class })
    @Fallback(fallbackMethod = "freeSlotsFallback", skipOn = ProblemException.class)
    public Uni<JsonNode> freeSlots(String calendarId, long startDateMillis, long endDateMillis, String timezone) {
        return authorization().chain(auth -> rest.freeSlots(auth, calendarId, startDateMillis, endDateMillis, timezone))
                .onFailure().transform(GhlClient::transport);
    }

    /**
     * {@code POST /calendars/events/appointments}: books an appointment. Not retried (a repeat could book twice).
     *
     * @param appointment what to book
     * @return the created appointment
     */
    @Timeout(10_000)
    @CircuitBreaker(requestVolumeThreshold = 3, failureRatio = 1.0, delay = 10_000, successThreshold = 1,
            skipOn = { GhlRejectedException.class, GhlNotConfiguredException.class })
    @Fallback(fallbackMethod = "createAppointmentFallback", skipOn = ProblemException.class)
    public Uni<GhlAppointment> createAppointment(GhlAppointmentRequest appointment) {
        return authorization().chain(auth -> rest.createAppointment(auth, appointment))
                .onFailure().transform(GhlClient::transport);
    }

    Uni<GhlMessageSent> sendMessageFallback(GhlMessage message, Throwable failure) {
        return Uni.createFrom().failure(guard(failure));
    }

    Uni<JsonNode> freeSlotsFallback(String calendarId, long startDateMillis, long endDateMillis, String timezone,
            Throwable failure) {
        return Uni.createFrom().failure(guard(failure));
    }

    Uni<GhlAppointment> createAppointmentFallback(GhlAppointmentRequest appointment, Throwable failure) {
        return Uni.createFrom().failure(guard(failure));
    }

    private Uni<String> authorization() {
        return config.apiToken().filter(t -> !t.isBlank())
                .map(token -> Uni.createFrom().item("Bearer " + token))
                .orElseGet(() -> Uni.createFrom().failure(new GhlNotConfiguredException("GHL_API_TOKEN")));
    }

    /** What the guards raise: open breaker → 503 (nothing sent), guard timeout → 504 (outcome unknown). */
    static Throwable guard(Throwable failure) {
        if (failure instanceof CircuitBreakerOpenException) {
            return new GhlUnavailableException("GoHighLevel circuit breaker is open; try again shortly", true, failure);
        }
        if (failure instanceof TimeoutException) {
            return new GhlTimeoutException("GoHighLevel did not answer in time", failure);
        }
        return transport(failure);
    }

    /** Transport failures: connection refused / unknown host → 503 (nothing sent); timeouts and anything else → 504 (outcome unknown). */
    static Throwable transport(Throwable failure) {
        if (failure instanceof ProblemException) {
            return failure;
        }
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ConnectException || t instanceof UnknownHostException) {
                return new GhlUnavailableException("GoHighLevel is unreachable", false, failure);
            }
            if (t instanceof java.util.concurrent.TimeoutException || t instanceof java.net.SocketTimeoutException
                    || t.getClass().getName().contains("Timeout")) {
                return new GhlTimeoutException("GoHighLevel did not answer in time", failure);
            }
        }
        // e.g. a connection closed mid-exchange: GHL may have carried the request out, so never treat it as
        // "surely not sent" (a message send must not be repeated)
        return new GhlTimeoutException("GoHighLevel call failed; its outcome is unknown", failure);
    }
}
