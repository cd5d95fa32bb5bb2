package dev.switchboard.supervisor.chat;

import dev.switchboard.common.digest.Sha256;
import dev.switchboard.common.problem.CommonProblem;
import dev.switchboard.common.problem.Problem;
import dev.switchboard.common.problem.ProblemException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/**
 * A client's idempotency key for one chat turn, scoped to the caller that sent it: the {@code Idempotency-Key}
 * request header of {@code POST /chat} (IETF draft "The Idempotency-Key HTTP Header Field", draft-ietf-httpapi-
 * idempotency-key-header), or the {@code messageId} of an A2A message.
 *
 * <p>The key decides the turn's identity: the turn id, and the session id when the request names no session, are
 * derived from the scope and the key (name-based UUIDs), so every attempt of one request, on any replica, is the same
 * turn of the same session; state-service keeps one turn per turn id, and a booking tool keys its side effect by it.
 * The fingerprint is a SHA-256 of the request's fields, so a key sent again with another request is recognised (422).
 *
 * @param scope       who sent the key (the authenticated caller's name): keys of different callers never meet
 * @param value       the key as the client sent it (1..255 printable ASCII characters)
 * @param fingerprint SHA-256 (hex) of the request the key was sent with, or {@code null} before {@link #of} binds it
 */
public record IdempotencyKey(String scope, String value, String fingerprint) {

    /** The request header (IETF draft-ietf-httpapi-idempotency-key-header). */
    public static final String HEADER = "Idempotency-Key";
    /** Response header of an answer replayed from the first request with the key (as Stripe names it). */
    public static final String REPLAYED_HEADER = "Idempotent-Replayed";
    /** Longest key accepted, in characters. */
    public static final int MAX_LENGTH = 255;

    /**
     * Reads the {@code Idempotency-Key} header: a Structured Field string ({@code "8e03978e-..."}, RFC 8941, as the
     * IETF draft defines it) or, as many clients send it, the bare key.
     *
     * @param header the header value, or {@code null}
     * @param scope  the caller's name ({@code null}: anonymous)
     * @return the key, or {@code null} when the header is absent
     * @throws ProblemException 400 {@code validation-failed} naming the header when it is empty, longer than
     *                          {@value #MAX_LENGTH} characters or holds anything but printable ASCII
     */
    public static IdempotencyKey parse(String header, String scope) {
        if (header == null) {
            return null;
        }
        String value = header.strip();
        if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
            value = unquote(value.substring(1, value.length() - 1));
        }
        if (value == null || value.isEmpty() || value.length() > MAX_LENGTH || !printableAscii(value)) {
            throw new ProblemException(
                    CommonProblem.VALIDATION_FAILED,
                    List.of(new Problem.FieldError(
                            HEADER, "must be 1.." + MAX_LENGTH + " printable ASCII characters (a UUID is best)")));
        }
        return new IdempotencyKey(scope == null ? "anonymous" : scope, value, null);
    }

    /**
     * The key of an A2A message: its {@code messageId}, which the protocol makes unique per message.
     *
     * @param messageId the message's id, or {@code null}
     * @param scope     the caller's name
     * @return the key, or {@code null} without a message id (or one that is not a usable key)
     */
    public static IdempotencyKey ofA2aMessage(String messageId, String scope) {
        if (messageId == null
                || messageId.isEmpty()
                || messageId.length() > MAX_LENGTH - 4
                || !printableAscii(messageId)) {
            return null;
        }
        return new IdempotencyKey(scope == null ? "anonymous" : scope, "a2a:" + messageId, null);
    }

    /** @return this key bound to {@code request}: its fingerprint is the request's */
    public IdempotencyKey of(ChatRequest request) {
        return new IdempotencyKey(scope, value, fingerprint(request));
    }

    /** @return the id of the turn this key stands for (the same for every attempt) */
    public String turnId() {
        return derived("turn");
    }

    /** @return the session a request with this key and without {@code session_id} continues or starts */
    public String sessionId() {
        return derived("session");
    }

    /** @return a digest of scope and key, for storage keys: fixed length, nothing of the key readable */
    public String digest() {
        return Sha256.hex(part(scope), part(value));
    }

    /** @return whether {@code other} is the fingerprint of this key's request */
    public boolean sameRequest(String other) {
        return fingerprint != null && fingerprint.equals(other);
    }

    private String derived(String what) {
        return UUID.nameUUIDFromBytes(Sha256.digest(part(what), part(scope), part(value)))
                .toString();
    }

    /**
     * SHA-256 of every field of the request that decides the turn (message, session, user, agent, strategy), each
     * length-prefixed so that no two requests share the bytes hashed.
     */
    static String fingerprint(ChatRequest request) {
        return Sha256.hex(
                part(request.message()),
                part(request.sessionId()),
                part(request.userId()),
                part(request.agent()),
                part(request.multitaskStrategy()));
    }

    private static byte[] part(String text) {
        if (text == null) {
            return "-:".getBytes(StandardCharsets.US_ASCII); // absent differs from empty ("0:")
        }
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        byte[] prefix = (bytes.length + ":").getBytes(StandardCharsets.US_ASCII);
        byte[] prefixed = Arrays.copyOf(prefix, prefix.length + bytes.length);
        System.arraycopy(bytes, 0, prefixed, prefix.length, bytes.length);
        return prefixed;
    }

    /** RFC 8941 sf-string content: {@code \"} and {@code \\} are the only escapes; {@code null} when invalid. */
    private static String unquote(String quoted) {
        StringBuilder out = new StringBuilder(quoted.length());
        for (int i = 0; i < quoted.length(); i++) {
            char c = quoted.charAt(i);
            if (c == '\\') {
                if (i + 1 >= quoted.length() || (quoted.charAt(i + 1) != '"' && quoted.charAt(i + 1) != '\\')) {
                    return null;
                }
                c = quoted.charAt(++i);
            } else if (c == '"') {
                return null;
            }
            out.append(c);
        }
        return out.toString();
    }

    private static boolean printableAscii(String text) {
        return text.chars().allMatch(c -> c >= 0x20 && c <= 0x7e);
    }
}
