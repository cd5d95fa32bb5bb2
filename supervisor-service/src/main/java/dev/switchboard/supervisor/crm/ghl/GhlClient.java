package dev.switchboard.supervisor.crm.ghl;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.common.problem.ProblemException;
import dev.switchboard.supervisor.peers.FaultToleranceConfig;
import dev.switchboard.supervisor.peers.PeerPolicy;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.channels.UnresolvedAddressException;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * Guarded client of the GoHighLevel API, under its policy ({@link PeerPolicy}, {@code supervisor.fault-tolerance.ghl}):
 * each call has a timeout and a circuit breaker of its own ({@code ghl:<call>}; while open, calls fail at once with
 * {@link GhlUnavailableException#breakerOpen()} until a trial call succeeds) and, where repeating is safe, retries —
 * only when GHL surely did not carry the request out. Errors: {@link GhlUnavailableException} 503 (not carried out:
 * unreachable, 5xx, 429, breaker open), {@link GhlTimeoutException} 504 (outcome unknown), {@link GhlRejectedException}
 * 502 (4xx, never retried, never trips the breaker), {@link GhlNotConfiguredException} 503 (no {@code GHL_API_TOKEN}).
 */
@ApplicationScoped
public class GhlClient {

    /** The {@code Version} header GHL's conversations and calendars endpoints are called with. */
    public static final String API_VERSION = "2021-04-15";

    /** Peer name: the policy's block and the first part of its breakers' names. */
    public static final String PEER = "ghl";

    private static final PeerPolicy.Rules RULES = new PeerPolicy.Rules() {
        @Override
        public boolean refused(Throwable failure) {
            return failure instanceof GhlRejectedException || failure instanceof GhlNotConfiguredException;
        }

        @Override
        public boolean repeatable(Throwable failure) {
            // only what GHL surely did not carry out: a timed-out message may have gone out
            return failure instanceof GhlUnavailableException;
        }

        @Override
        public Throwable problem(Throwable failure) {
            return GhlClient.problem(failure);
        }
    };

    private final GhlRestClient rest;
    private final GhlConfig config;
    private final PeerPolicy.Call sendMessage;
    private final PeerPolicy.Call freeSlots;
    private final PeerPolicy.Call createAppointment;

    GhlClient(@RestClient GhlRestClient rest, GhlConfig config, FaultToleranceConfig faultTolerance) {
        this.rest = rest;
        this.config = config;
        PeerPolicy policy = new PeerPolicy(PEER, faultTolerance.ghl(), RULES);
        this.sendMessage = policy.repeatable("send-message");
        this.freeSlots = policy.repeatable("free-slots");
        // a repeat could book twice
        this.createAppointment = policy.once("create-appointment");
    }

    /**
     * {@code POST /conversations/messages}: sends a message to a contact. Retried only when GHL surely did not take
     * it (unreachable, 5xx, 429); a timeout is not retried, because the message may have gone out.
     *
     * @param message type (channel), contact id and text
     * @return GHL's message id; the errors listed on the class
     */
    public Uni<GhlMessageSent> sendMessage(GhlMessage message) {
        return sendMessage.run(() -> authorization().chain(auth -> rest.sendMessage(auth, message)));
    }

    /**
     * {@code GET /calendars/{calendarId}/free-slots}: free slots of a calendar (retried, as {@link #sendMessage}).
     *
     * @param calendarId      the calendar
     * @param startDateMillis range start, epoch milliseconds
     * @param endDateMillis   range end, epoch milliseconds
     * @param timezone        IANA zone the slots are expressed in
     * @return GHL's body: {@code {"<yyyy-MM-dd>": {"slots": ["<ISO start>", ...]}, ...}}
     */
    public Uni<JsonNode> freeSlots(String calendarId, long startDateMillis, long endDateMillis, String timezone) {
        return freeSlots.run(() -> authorization()
                .chain(auth -> rest.freeSlots(auth, calendarId, startDateMillis, endDateMillis, timezone)));
    }

    /**
     * {@code POST /calendars/events/appointments}: books an appointment. Not retried (a repeat could book twice).
     *
     * @param appointment what to book
     * @return the created appointment
     */
    public Uni<GhlAppointment> createAppointment(GhlAppointmentRequest appointment) {
        return createAppointment.run(() -> authorization().chain(auth -> rest.createAppointment(auth, appointment)));
    }

    private Uni<String> authorization() {
        return config.apiToken()
                .filter(t -> !t.isBlank())
                .map(token -> Uni.createFrom().item("Bearer " + token))
                .orElseGet(() -> Uni.createFrom().failure(new GhlNotConfiguredException("GHL_API_TOKEN")));
    }

    /**
     * The one reading of a failed GHL call: GHL's answers are already typed ({@link GhlExceptionMapper}); an open
     * breaker or an unreachable GHL → 503 (nothing was sent, safe to try again later); a timeout, or a connection
     * that broke off mid-exchange → 504 (GHL may have carried the request out, so a message send is never repeated).
     */
    static Throwable problem(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ProblemException problem) {
                return problem;
            }
        }
        if (failure instanceof CircuitBreakerOpenException) {
            return new GhlUnavailableException("GoHighLevel circuit breaker is open; try again shortly", true, failure);
        }
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ConnectException
                    || t instanceof UnknownHostException
                    || t instanceof UnresolvedAddressException) {
                return new GhlUnavailableException("GoHighLevel is unreachable", false, failure);
            }
            if (t instanceof TimeoutException
                    || t instanceof java.util.concurrent.TimeoutException
                    || t instanceof SocketTimeoutException) {
                return new GhlTimeoutException("GoHighLevel did not answer in time", failure);
            }
        }
        return new GhlTimeoutException("GoHighLevel call failed; its outcome is unknown", failure);
    }
}
