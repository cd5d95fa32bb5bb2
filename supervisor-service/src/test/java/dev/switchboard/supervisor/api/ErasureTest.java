package dev.switchboard.supervisor.api;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.serviceUnavailable;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import dev.switchboard.common.digest.Sha256;
import dev.switchboard.common.test.InfrastructureTestResource;
import dev.switchboard.common.test.TestCredentials;
import dev.switchboard.supervisor.testing.GhlWireMockResource;
import dev.switchboard.supervisor.testing.InjectPeers;
import dev.switchboard.supervisor.testing.OpenAiWireMockResource;
import dev.switchboard.supervisor.testing.PeersWireMockResource;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code DELETE /users/{user_id}/data} and {@code DELETE /crm/ghl/locations/{location}/contacts/{contact}/data}: the
 * supervisor's rows and Redis keys of the person go, state-service is asked to erase the sessions, other people's data
 * stays, an audit row records who, when and how much (and not whose id), and only an admin or the user itself may ask.
 * state-service is WireMock here; its side is tested in state-service and end to end.
 */
@QuarkusTest
@QuarkusTestResource(value = InfrastructureTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = OpenAiWireMockResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = PeersWireMockResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = GhlWireMockResource.class, restrictToAnnotatedClass = false)
class ErasureTest {

    private static final String PROBLEM = "https://switchboard.dev/problems/";
    private static final Duration WAIT = Duration.ofSeconds(10);

    @InjectPeers
    WireMockServer peers;

    @Inject
    Pool pool;

    @Inject
    RedisDataSource redis;

    private final List<StubMapping> stubs = new ArrayList<>();

    @AfterEach
    void removeStubs() {
        stubs.forEach(peers::removeStub);
    }

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 12);
    }

    /** state-service: the user's sessions, and what its erasure answers for this user or these sessions. */
    private void stateHolds(
            String userId, List<String> listed, String erasureField, String erasureValue, List<String> erased) {
        String sessions = String.join(
                ",",
                listed.stream()
                        .map(id -> "{\"session_id\":\"" + id
                                + "\",\"version\":2,\"updated_at\":\"2026-11-21T12:00:00Z\",\"message_count\":2}")
                        .toList());
        if (userId != null) {
            stubs.add(peers.stubFor(get(urlPathEqualTo("/sessions/user/" + userId))
                    .willReturn(okJson("{\"user_id\":\"" + userId + "\",\"sessions\":[" + sessions + "]}"))));
        }
        stubs.add(peers.stubFor(post(urlPathEqualTo("/erasures"))
                .withRequestBody(matchingJsonPath(erasureField, equalTo(erasureValue)))
                .willReturn(okJson("{\"sessions\":" + erased.size() + ",\"checkpoints\":" + (3 * erased.size())
                        + ",\"redis_keys\":" + erased.size() + ",\"session_ids\":["
                        + String.join(
                                ",", erased.stream().map(id -> "\"" + id + "\"").toList()) + "]}"))));
    }

    private void appointment(String sessionId, String contactName, int hour) {
        OffsetDateTime start = OffsetDateTime.of(2031, 1, 6, hour, 0, 0, 0, ZoneOffset.UTC)
                .plusDays(Math.abs(sessionId.hashCode() % 3000));
        pool.preparedQuery(
                        "INSERT INTO supervisor.appointments (id, starts_at, ends_at, title, contact_name, contact,"
                                + " session_id, status) VALUES ($1, $2, $3, 'Consultation', $4, '+1 555 0100', $5, 'cancelled')")
                .execute(Tuple.of(UUID.randomUUID(), start, start.plusMinutes(30), contactName, sessionId))
                .await()
                .atMost(WAIT);
    }

    private void queued(String location, String contact, String message) {
        pool.preparedQuery("INSERT INTO supervisor.message_queue (provider, event_id, event_type, status, location_id,"
                        + " contact_id, message, payload, langgraph_thread_id) VALUES ('ghl', $1, 'InboundMessage',"
                        + " 'completed', $2, $3, $4, $5::text::jsonb, $6)")
                .execute(Tuple.tuple()
                        .addString(unique("evt"))
                        .addString(location)
                        .addString(contact)
                        .addString(message)
                        .addString("{\"body\":\"" + message + "\"}")
                        .addString("ghl:" + location + ":" + contact))
                .await()
                .atMost(WAIT);
    }

    private long count(String sql, Object... params) {
        return pool.preparedQuery(sql)
                .execute(Tuple.from(List.of(params)))
                .await()
                .atMost(WAIT)
                .iterator()
                .next()
                .getLong(0);
    }

    private void key(String key) {
        redis.value(String.class).set(key, "1");
    }

    private boolean exists(String key) {
        return redis.key().exists(key);
    }

    private static ValidatableResponse delete(String credential, String path) {
        return given().header("Authorization", TestCredentials.bearer(credential))
                .delete(path)
                .then();
    }

    @Test
    void erasesAUsersRowsAndKeysInEveryServiceAndAuditsWithoutTheId() {
        String user = unique("erased-user");
        String first = unique("s");
        String second = unique("s");
        String someoneElses = first + "0"; // shares a prefix with the erased session's keys
        stateHolds(user, List.of(first), "$.user_id", user, List.of(first, second));
        appointment(first, "Dana " + user, 9);
        appointment(second, "Dana " + user, 10);
        appointment(someoneElses, "Someone else", 11);
        pool.preparedQuery("INSERT INTO supervisor.users (username, password_hash, roles) VALUES ($1, 'x', '{user}')")
                .execute(Tuple.of(user))
                .await()
                .atMost(WAIT);
        List<String> erasedKeys = List.of(
                "sb:supervisor:ratelimit:" + user,
                "sb:supervisor:login-failures:pair:203.0.113.9|" + user,
                "sb:supervisor:login-failures:pair:::1|" + user,
                "sb:supervisor:lease:" + first,
                "sb:supervisor:fence:" + first,
                "sb:supervisor:waiters:" + second,
                "sb:supervisor:waiters-seen:" + second,
                "sb:supervisor:rollout:" + first + ":general_assistant_agent",
                "sb:supervisor:rollout:" + second + ":calendar_agent");
        List<String> keptKeys = List.of(
                "sb:supervisor:ratelimit:" + user + "x",
                "sb:supervisor:login-failures:pair:203.0.113.9|" + user + "x",
                "sb:supervisor:fence:" + someoneElses,
                "sb:supervisor:rollout:" + someoneElses + ":general_assistant_agent");
        erasedKeys.forEach(this::key);
        keptKeys.forEach(this::key);

        delete(TestCredentials.ADMIN_KEY, "/users/" + user + "/data")
                .statusCode(200)
                .body("subject", is("user"))
                .body("requested_by", is(TestCredentials.ADMIN))
                .body("counts.sessions", is(2))
                .body("counts.checkpoints", is(6))
                .body("counts.appointments", is(2))
                .body("counts.users", is(1))
                .body("counts.queue_rows", is(0))
                // state-service's two and the supervisor's nine
                .body("counts.redis_keys", is(2 + erasedKeys.size()));

        peers.verify(postRequestedFor(urlPathEqualTo("/erasures"))
                .withRequestBody(equalToJson("{\"user_id\":\"" + user + "\"}")));
        assertEquals(0, count("SELECT count(*) FROM supervisor.appointments WHERE session_id = ANY($1)", (Object)
                new String[] {first, second}));
        assertEquals(0, count("SELECT count(*) FROM supervisor.users WHERE username = $1", user));
        assertEquals(1, count("SELECT count(*) FROM supervisor.appointments WHERE session_id = $1", someoneElses));
        erasedKeys.forEach(k -> assertFalse(exists(k), k));
        keptKeys.forEach(k -> assertTrue(exists(k), k));

        // the audit: who, when, how much; the person only as a hash
        assertEquals(
                1,
                count(
                        "SELECT count(*) FROM supervisor.erasures WHERE subject_sha256 = $1 AND subject_kind = 'user'"
                                + " AND requested_by = $2 AND (counts ->> 'appointments')::int = 2",
                        Sha256.hex("user:" + user),
                        TestCredentials.ADMIN));
        assertEquals(0, count("SELECT count(*) FROM supervisor.erasures e WHERE strpos(e::text, $1) > 0", user));
        given().header("Authorization", TestCredentials.bearer(TestCredentials.ADMIN_KEY))
                .get("/erasures")
                .then()
                .statusCode(200)
                .body("subject_sha256", hasItem(Sha256.hex("user:" + user)));
        pool.preparedQuery("DELETE FROM supervisor.appointments WHERE session_id = $1")
                .execute(Tuple.of(someoneElses))
                .await()
                .atMost(WAIT);
        keptKeys.forEach(k -> redis.key().del(k));
    }

    @Test
    void aUserErasesItselfButNobodyElse() {
        stateHolds(TestCredentials.USER, List.of(), "$.user_id", TestCredentials.USER, List.of());

        delete(TestCredentials.OTHER_USER_KEY, "/users/" + TestCredentials.USER + "/data")
                .statusCode(403)
                .contentType("application/problem+json")
                .body("type", is(PROBLEM + "forbidden"));
        peers.verify(
                0,
                postRequestedFor(urlPathEqualTo("/erasures"))
                        .withRequestBody(equalToJson("{\"user_id\":\"" + TestCredentials.USER + "\"}")));

        // erasing twice is fine: nothing left, zero counts
        for (int i = 0; i < 2; i++) {
            delete(TestCredentials.USER_KEY, "/users/" + TestCredentials.USER + "/data")
                    .statusCode(200)
                    .body("requested_by", is("self"))
                    .body("counts.sessions", is(0))
                    .body("counts.appointments", is(0));
        }
        // an admin only lists the audit
        given().header("Authorization", TestCredentials.bearer(TestCredentials.USER_KEY))
                .get("/erasures")
                .then()
                .statusCode(403);
    }

    @Test
    void erasesACrmContactsQueuedPayloadsConversationAndKeys() {
        String location = GhlWireMockResource.LOCATION;
        String contact = unique("contact");
        String other = unique("contact");
        String session = "ghl:" + location + ":" + contact;
        String forked = unique("fork");
        stateHolds(null, List.of(), "$.session_ids[0]", session, List.of(session, forked));
        queued(location, contact, "my address is 1 Elm St");
        queued(location, contact, "call me at 555-0100");
        queued(location, other, "someone else's message");
        appointment(session, "Contact " + contact, 13);
        appointment(forked, "Contact " + contact, 14);
        key("sb:supervisor:ratelimit:" + contact);
        key("sb:supervisor:lease:" + session);
        key("sb:supervisor:fence:" + session);

        delete(TestCredentials.USER_KEY, "/crm/ghl/locations/" + location + "/contacts/" + contact + "/data")
                .statusCode(403);
        delete(TestCredentials.ADMIN_KEY, "/crm/ghl/locations/" + location + "/contacts/" + contact + "/data")
                .statusCode(200)
                .body("subject", is("contact"))
                .body("counts.sessions", is(2))
                .body("counts.queue_rows", is(2))
                .body("counts.appointments", is(2))
                .body("counts.users", is(0))
                .body("counts.redis_keys", is(2 + 3));

        peers.verify(postRequestedFor(urlPathEqualTo("/erasures"))
                .withRequestBody(equalToJson("{\"session_ids\":[\"" + session + "\"]}")));
        assertEquals(
                0,
                count(
                        "SELECT count(*) FROM supervisor.message_queue q WHERE q.contact_id = $1"
                                + " OR strpos(q::text, $1) > 0",
                        contact));
        assertEquals(1, count("SELECT count(*) FROM supervisor.message_queue WHERE contact_id = $1", other));
        assertEquals(
                0,
                count(
                        "SELECT count(*) FROM supervisor.appointments a WHERE strpos(a::text, $1) > 0"
                                + " OR session_id = $2",
                        contact,
                        forked));
        assertFalse(exists("sb:supervisor:lease:" + session));
        assertFalse(exists("sb:supervisor:ratelimit:" + contact));
        assertEquals(
                1,
                count(
                        "SELECT count(*) FROM supervisor.erasures WHERE subject_sha256 = $1",
                        Sha256.hex("contact:" + location + ":" + contact)));
        pool.preparedQuery("DELETE FROM supervisor.message_queue WHERE contact_id = $1")
                .execute(Tuple.of(other))
                .await()
                .atMost(WAIT);
    }

    @Test
    void refusesMalformedIdsAndReportsAnUnreachableStateService() {
        delete(TestCredentials.ADMIN_KEY, "/crm/ghl/locations/loc/contacts/a:b/data")
                .statusCode(400)
                .contentType("application/problem+json")
                .body("type", is(PROBLEM + "validation-failed"));
        delete(TestCredentials.ADMIN_KEY, "/users/a%20b/data")
                .statusCode(400)
                .body("type", is(PROBLEM + "validation-failed"));

        String user = unique("unreachable");
        stubs.add(peers.stubFor(post(urlPathEqualTo("/erasures"))
                .withRequestBody(matchingJsonPath("$.user_id", equalTo(user)))
                .willReturn(serviceUnavailable())));
        delete(TestCredentials.ADMIN_KEY, "/users/" + user + "/data")
                .statusCode(503)
                .contentType("application/problem+json")
                .body("type", Matchers.startsWith(PROBLEM));
        // nothing is audited for an erasure that did not complete
        assertEquals(
                0,
                count(
                        "SELECT count(*) FROM supervisor.erasures WHERE subject_sha256 = $1",
                        Sha256.hex("user:" + user)));
    }

    @Test
    void aTurnsSessionLoadCarriesItsLeaseToken() {
        String user = unique("fenced");
        given().header("Authorization", TestCredentials.bearer(TestCredentials.ADMIN_KEY))
                .contentType("application/json")
                .body("{\"message\":\"hello there\",\"session_id\":\"" + unique("s") + "\",\"user_id\":\"" + user
                        + "\"}")
                .post("/chat")
                .then()
                .statusCode(Matchers.greaterThanOrEqualTo(200));
        peers.verify(postRequestedFor(urlPathEqualTo("/sessions"))
                .withRequestBody(matchingJsonPath("$.user_id", equalTo(user)))
                .withHeader("X-Fencing-Token", com.github.tomakehurst.wiremock.client.WireMock.matching("[0-9]+")));
    }
}
