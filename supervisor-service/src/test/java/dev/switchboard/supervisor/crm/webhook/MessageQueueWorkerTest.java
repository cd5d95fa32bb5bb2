package dev.switchboard.supervisor.crm.webhook;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static dev.switchboard.supervisor.crm.webhook.WebhookFixtures.JSON;
import static dev.switchboard.supervisor.crm.webhook.WebhookFixtures.WAIT;
import static dev.switchboard.supervisor.crm.webhook.WebhookFixtures.ghlId;
import static dev.switchboard.supervisor.crm.webhook.WebhookFixtures.inboundMessage;
import static dev.switchboard.supervisor.crm.webhook.WebhookFixtures.postSigned;
import static dev.switchboard.supervisor.crm.webhook.WebhookFixtures.rowOfEvent;
import static dev.switchboard.supervisor.testing.OpenAiWireMockResource.CHAT_COMPLETIONS;
import static dev.switchboard.supervisor.testing.OpenAiWireMockResource.textCompletion;
import static dev.switchboard.supervisor.testing.OpenAiWireMockResource.toolCallCompletion;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.switchboard.common.test.InfrastructureTestResource;
import dev.switchboard.supervisor.agents.AgentCache;
import dev.switchboard.supervisor.crm.ContactSessions;
import dev.switchboard.supervisor.crm.ghl.GhlCalendarBackend;
import dev.switchboard.supervisor.testing.GhlWireMockResource;
import dev.switchboard.supervisor.testing.InjectWireMock;
import dev.switchboard.supervisor.testing.OpenAiWireMockResource;
import dev.switchboard.supervisor.testing.PeersWireMockResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The queue worker against real PostgreSQL: crashed claims (rows left in {@code processing} with an expired
 * visibility timeout, at each point a replica can die), bounded retries into the dead letter, the GHL breaker,
 * a booking conversation through the GHL calendar, and the operator endpoints.
 */
@QuarkusTest
@QuarkusTestResource(value = InfrastructureTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = OpenAiWireMockResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = PeersWireMockResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = GhlWireMockResource.class, restrictToAnnotatedClass = false)
class MessageQueueWorkerTest {

    @InjectWireMock
    WireMockServer openAi;

    @Inject
    AgentCache cache;

    @Inject
    Pool pool;

    @Inject
    GhlCalendarBackend ghlCalendar;

    WireMockServer ghl;

    @BeforeEach
    void setUp() {
        ghl = GhlWireMockResource.server();
        await().atMost(Duration.ofSeconds(90)).until(cache::isSynced);
    }

    private List<LoggedRequest> repliesTo(String contactId) {
        return ghl.findAll(postRequestedFor(urlPathEqualTo("/conversations/messages"))
                .withRequestBody(matchingJsonPath(
                        "$.contactId", com.github.tomakehurst.wiremock.client.WireMock.equalTo(contactId))));
    }

    private List<LoggedRequest> llmRequests(String marker) {
        return openAi.findAll(postRequestedFor(urlPathEqualTo(CHAT_COMPLETIONS)).withRequestBody(containing(marker)));
    }

    /**
     * A row as a replica that died mid-processing leaves it: {@code processing}, claim token set, visibility
     * timeout expired; optionally with the reply saved, the send started, the outbound id recorded.
     */
    private long crashedRow(
            String contact,
            String message,
            String reply,
            boolean sendStarted,
            String outboundId,
            OffsetDateTime lockedUntil) {
        return crashedRow(contact, message, reply, sendStarted, outboundId, lockedUntil, 1);
    }

    private long crashedRow(
            String contact,
            String message,
            String reply,
            boolean sendStarted,
            String outboundId,
            OffsetDateTime lockedUntil,
            int attempts) {
        String session = ContactSessions.sessionId(GhlWireMockResource.LOCATION, contact);
        return pool.preparedQuery("INSERT INTO supervisor.message_queue (provider, event_id, event_type, status,"
                        + " location_id, contact_id, channel, message, payload, langgraph_thread_id, processed_by_agent, reply,"
                        + " reply_attempted_at, outbound_message_id, attempts, locked_until, claim_token, claimed_by)"
                        + " VALUES ('ghl', $1, 'InboundMessage', 'processing', $2, $3, 'SMS', $4, '{}', $5, $6, $7,"
                        + " CASE WHEN $8 THEN now() END, $9, $12, $10, $11, 'dead-replica') RETURNING id")
                .execute(Tuple.tuple()
                        .addString("crash-" + UUID.randomUUID())
                        .addString(GhlWireMockResource.LOCATION)
                        .addString(contact)
                        .addString(message)
                        .addString(session)
                        .addString(reply == null ? null : "general_assistant_agent")
                        .addString(reply)
                        .addBoolean(sendStarted)
                        .addString(outboundId)
                        .addOffsetDateTime(lockedUntil)
                        .addUUID(UUID.randomUUID())
                        .addInteger(attempts))
                .await()
                .atMost(WAIT)
                .iterator()
                .next()
                .getLong("id");
    }

    private Row row(long id) {
        return pool.preparedQuery("SELECT * FROM supervisor.message_queue WHERE id = $1")
                .execute(Tuple.of(id))
                .await()
                .atMost(WAIT)
                .iterator()
                .next();
    }

    private static OffsetDateTime expired() {
        return OffsetDateTime.now().minusSeconds(5);
    }

    @Test
    void crashedClaimWithRecordedOutboundIdCompletesWithoutSecondReply() {
        String contact = ghlId("cr");
        long id = crashedRow(contact, "hello", "already answered", true, "msg-before-crash", expired());

        await().atMost(WAIT).until(() -> "completed".equals(row(id).getString("status")));
        await().during(Duration.ofMillis(800))
                .atMost(Duration.ofSeconds(3))
                .until(() -> repliesTo(contact).isEmpty());
        assertEquals("msg-before-crash", row(id).getString("outbound_message_id"));
    }

    @Test
    void crashedClaimWithSavedReplySendsItOnceWithoutRunningTheTurnAgain() {
        String contact = ghlId("cr");
        String marker = UUID.randomUUID().toString();
        long id = crashedRow(contact, "question " + marker, "saved answer " + marker, false, null, expired());

        await().atMost(WAIT).until(() -> "completed".equals(row(id).getString("status")));
        List<LoggedRequest> replies = repliesTo(contact);
        assertEquals(1, replies.size());
        assertTrue(replies.get(0).getBodyAsString().contains("saved answer " + marker));
        assertTrue(llmRequests(marker).isEmpty(), "the turn is not run again");
        assertTrue(row(id).getString("outbound_message_id").startsWith("msg-"));
        assertEquals(2, row(id).getInteger("attempts"));
    }

    @Test
    void crashedMidSendIsNotResentButDeadLettered() {
        String contact = ghlId("cr");
        long id = crashedRow(contact, "hello", "maybe delivered", true, null, expired());

        await().atMost(WAIT).until(() -> "failed".equals(row(id).getString("status")));
        assertTrue(row(id).getString("last_error").contains("not resent"));
        await().during(Duration.ofMillis(500))
                .atMost(Duration.ofSeconds(2))
                .until(() -> repliesTo(contact).isEmpty());
    }

    @Test
    void crashedBeforeTheTurnIsProcessedFromTheStart() {
        String contact = ghlId("cr");
        String marker = UUID.randomUUID().toString();
        openAi.stubFor(post(urlPathEqualTo(CHAT_COMPLETIONS))
                .withRequestBody(containing(marker))
                .willReturn(okJson(textCompletion("fresh answer"))));
        long id = crashedRow(contact, "question " + marker, null, false, null, expired());

        await().atMost(WAIT).until(() -> "completed".equals(row(id).getString("status")));
        assertEquals(1, repliesTo(contact).size());
        assertEquals("fresh answer", row(id).getString("reply"));
    }

    @Test
    void aRowWhoseEveryClaimDiedIsDeadLetteredNotClaimedAgain() {
        // five claims counted (the default max_attempts), each ended by its replica dying: the row that kills the
        // process must not be claimed a sixth time
        String contact = ghlId("poison");
        String marker = UUID.randomUUID().toString();
        long id = crashedRow(contact, "poison " + marker, null, false, null, expired(), 5);

        await().atMost(WAIT).until(() -> "failed".equals(row(id).getString("status")));
        assertTrue(row(id).getString("last_error").contains("no attempt finished"), row(id).getString("last_error"));
        assertEquals(5, row(id).getInteger("attempts"));
        assertNull(row(id).getUUID("claim_token"));
        await().during(Duration.ofMillis(500))
                .atMost(Duration.ofSeconds(2))
                .until(() -> repliesTo(contact).isEmpty() && llmRequests(marker).isEmpty());
    }

    @Test
    void aLiveClaimIsLeftAlone() {
        String contact = ghlId("live");
        long id = crashedRow(
                contact, "hello", null, false, null, OffsetDateTime.now().plusMinutes(5));

        await().during(Duration.ofSeconds(2))
                .atMost(Duration.ofSeconds(4))
                .until(() -> "processing".equals(row(id).getString("status")) && row(id).getInteger("attempts") == 1);
        assertTrue(repliesTo(contact).isEmpty());
        pool.preparedQuery("DELETE FROM supervisor.message_queue WHERE id = $1")
                .execute(Tuple.of(id))
                .await()
                .atMost(WAIT);
    }

    @Test
    void failingTurnsAreRetriedThenDeadLetteredAndCanBeReplayed() {
        String marker = UUID.randomUUID().toString();
        String contact = ghlId("dl");
        String webhookId = "wh-" + marker;
        openAi.stubFor(post(urlPathEqualTo(CHAT_COMPLETIONS))
                .withRequestBody(containing(marker))
                .willReturn(aResponse().withStatus(500).withBody("{\"error\":{\"message\":\"down\"}}")));

        postSigned(inboundMessage(webhookId, contact, "hello " + marker, Instant.now())
                        .toString())
                .then()
                .statusCode(202);

        await().atMost(Duration.ofSeconds(40))
                .until(() -> "failed".equals(rowOfEvent(pool, webhookId).getString("status")));
        Row failed = rowOfEvent(pool, webhookId);
        assertEquals(5, failed.getInteger("attempts"));
        assertTrue(
                failed.getString("last_error").startsWith("Gave up after 5 attempts"), failed.getString("last_error"));
        assertTrue(repliesTo(contact).isEmpty());
        long id = failed.getLong("id");

        // operator: list, inspect, replay once the model is back
        given().when()
                .get("/webhooks/queue?status=failed&limit=500")
                .then()
                .statusCode(200)
                .body("rows.id", hasItem((int) id));
        given().when()
                .get("/webhooks/queue/" + id)
                .then()
                .statusCode(200)
                .body("status", equalTo("failed"))
                .body("event_id", equalTo(webhookId))
                .body("payload.contactId", equalTo(contact));
        openAi.stubFor(post(urlPathEqualTo(CHAT_COMPLETIONS))
                .withRequestBody(containing(marker))
                .willReturn(okJson(textCompletion("back again"))));
        given().when()
                .post("/webhooks/queue/" + id + "/replay")
                .then()
                .statusCode(200)
                .body("status", equalTo("pending"))
                .body("attempts", equalTo(0));

        await().atMost(WAIT)
                .until(() -> "completed".equals(rowOfEvent(pool, webhookId).getString("status")));
        assertEquals(1, repliesTo(contact).size());
        given().when()
                .post("/webhooks/queue/" + id + "/replay")
                .then()
                .statusCode(409)
                .body("type", equalTo("https://switchboard.dev/problems/queue-row-not-failed"));
        given().when()
                .get("/webhooks/queue/999999999")
                .then()
                .statusCode(404)
                .body("type", equalTo("https://switchboard.dev/problems/queue-row-not-found"));
        given().when().get("/webhooks/queue?status=bogus").then().statusCode(400);
    }

    @Test
    void ghlFailingThreeTimesOpensTheBreakerRowsWaitThenComplete() {
        String marker = UUID.randomUUID().toString();
        String contact = ghlId("br");
        String webhookId = "wh-" + marker;
        openAi.stubFor(post(urlPathEqualTo(CHAT_COMPLETIONS))
                .withRequestBody(containing(marker))
                .willReturn(okJson(textCompletion("reply " + marker))));
        var failing = ghl.stubFor(post(urlPathEqualTo("/conversations/messages"))
                .atPriority(1)
                .withRequestBody(containing(marker))
                .willReturn(aResponse().withStatus(500).withBody("{}")));
        try {
            postSigned(inboundMessage(webhookId, contact, "hello " + marker, Instant.now())
                            .toString())
                    .then()
                    .statusCode(202);

            await().atMost(WAIT).until(() -> repliesTo(contact).size() >= 3);
            // open: no further calls reach GHL while rows wait (pending, not failed)
            await().during(Duration.ofMillis(1200))
                    .atMost(Duration.ofSeconds(2))
                    .until(() -> repliesTo(contact).size() == 3);
            Row waiting = rowOfEvent(pool, webhookId);
            assertTrue(
                    List.of("pending", "processing").contains(waiting.getString("status")),
                    waiting.getString("status"));
            assertTrue(waiting.getString("last_error").contains("GoHighLevel"), waiting.getString("last_error"));
        } finally {
            ghl.removeStub(failing); // GHL recovers (the request journal is kept for the counts below)
        }
        await().atMost(WAIT)
                .until(() -> "completed".equals(rowOfEvent(pool, webhookId).getString("status")));
        assertEquals(4, repliesTo(contact).size(), "three failures, then one successful send after recovery");
        assertTrue(rowOfEvent(pool, webhookId).getInteger("attempts") < 5);
    }

    @Test
    void bookingConversationCreatesTheGhlAppointmentAndMarksTheRow() throws Exception {
        String marker = UUID.randomUUID().toString();
        String contact = ghlId("bk");
        String webhookId = "wh-" + marker;
        LocalDate day = LocalDate.now().plusDays(7);
        String args = "{\"date\":\"" + day + "\",\"start_time\":\"10:00\",\"duration_minutes\":30,"
                + "\"name\":\"Ada Lovelace\",\"contact\":\"+15551234567\",\"notes\":\"first visit\"}";
        // router (if asked) → the booking agent; agent: the tool call first, then the confirmation
        openAi.stubFor(post(urlPathEqualTo(CHAT_COMPLETIONS))
                .atPriority(1)
                .withRequestBody(containing(marker))
                .withRequestBody(containing("tool_call_id"))
                .willReturn(okJson(textCompletion("You are booked for " + day + " at 10:00."))));
        openAi.stubFor(post(urlPathEqualTo(CHAT_COMPLETIONS))
                .atPriority(2)
                .withRequestBody(containing(marker))
                .withRequestBody(containing("Answer with the agent name only"))
                .willReturn(okJson(textCompletion("appointment_booking_agent"))));
        openAi.stubFor(post(urlPathEqualTo(CHAT_COMPLETIONS))
                .atPriority(3)
                .withRequestBody(containing(marker))
                .willReturn(okJson(toolCallCompletion("call_1", "book_appointment", args))));
        String ghlAppointment = "appt" + marker.substring(0, 8);
        ghl.stubFor(post(urlPathEqualTo("/calendars/events/appointments"))
                .withRequestBody(matchingJsonPath(
                        "$.contactId", com.github.tomakehurst.wiremock.client.WireMock.equalTo(contact)))
                .willReturn(okJson("{\"id\":\"" + ghlAppointment + "\",\"calendarId\":\"" + GhlWireMockResource.CALENDAR
                        + "\",\"contactId\":\"" + contact + "\",\"title\":\"Appointment with Ada Lovelace\","
                        + "\"appointmentStatus\":\"confirmed\"}")));

        postSigned(inboundMessage(
                                webhookId,
                                contact,
                                "Please book me an appointment next week at 10 " + marker,
                                Instant.now())
                        .toString())
                .then()
                .statusCode(202);

        await().atMost(WAIT)
                .until(() -> "completed".equals(rowOfEvent(pool, webhookId).getString("status")));
        Row row = rowOfEvent(pool, webhookId);
        assertTrue(row.getBoolean("appointment_booked"));
        assertEquals("appointment_booking_agent", row.getString("processed_by_agent"));
        assertEquals(
                "ghl:" + ghlAppointment,
                row.getJsonObject("workflow_state").getJsonArray("appointments").getString(0));
        List<LoggedRequest> bookings = ghl.findAll(postRequestedFor(urlPathEqualTo("/calendars/events/appointments"))
                .withRequestBody(matchingJsonPath(
                        "$.contactId", com.github.tomakehurst.wiremock.client.WireMock.equalTo(contact))));
        assertEquals(1, bookings.size());
        JsonNode booking = JSON.readTree(bookings.get(0).getBodyAsString());
        assertEquals(GhlWireMockResource.CALENDAR, booking.get("calendarId").asText());
        assertEquals(GhlWireMockResource.LOCATION, booking.get("locationId").asText());
        assertEquals(
                GhlWireMockResource.ASSIGNED_USER, booking.get("assignedUserId").asText());
        assertEquals("Appointment with Ada Lovelace", booking.get("title").asText());
        assertEquals(
                OffsetDateTime.parse(booking.get("startTime").asText()).plusMinutes(30),
                OffsetDateTime.parse(booking.get("endTime").asText()));
        assertEquals(
                day, OffsetDateTime.parse(booking.get("startTime").asText()).toLocalDate());
        assertEquals("Bearer " + GhlWireMockResource.TOKEN, bookings.get(0).getHeader("Authorization"));
        // the model got the booking confirmation with the name-based id, and the contact got the final text
        String toolResult = llmRequests(marker).stream()
                .map(LoggedRequest::getBodyAsString)
                .filter(b -> b.contains("tool_call_id"))
                .findFirst()
                .orElseThrow();
        assertTrue(toolResult.contains(GhlCalendarBackend.uuidOf(ghlAppointment).toString()), toolResult);
        List<LoggedRequest> replies = repliesTo(contact);
        assertEquals(1, replies.size());
        assertTrue(replies.get(0).getBodyAsString().contains("You are booked for " + day));
    }

    @Test
    void monitoringReportsSeedQueriesOverTurns() {
        String contact = ghlId("mon");
        String session = ContactSessions.sessionId(GhlWireMockResource.LOCATION, contact);
        String[][] rows = {
            {"lead_qualification_agent", "completed", "false"},
            {"appointment_booking_agent", "completed", "true"},
            {"appointment_booking_agent", "failed", "false"}
        };
        for (String[] r : rows) {
            pool.preparedQuery(
                            "INSERT INTO supervisor.message_queue (provider, event_id, event_type, status, contact_id,"
                                    + " payload, langgraph_thread_id, processed_by_agent, appointment_booked)"
                                    + " VALUES ('ghl', $1, 'InboundMessage', $2, $3, '{}', $4, $5, $6)")
                    .execute(Tuple.tuple()
                            .addString("mon-" + UUID.randomUUID())
                            .addString(r[1])
                            .addString(contact)
                            .addString(session)
                            .addString(r[0])
                            .addBoolean(Boolean.parseBoolean(r[2])))
                    .await()
                    .atMost(WAIT);
        }

        var report = given().when()
                .get("/webhooks/monitoring")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();

        assertTrue(report.getList("transitions.findAll { it.current_agent == 'lead_qualification_agent'"
                                + " && it.next_agent == 'appointment_booking_agent' }")
                        .size()
                == 1);
        assertTrue(report.getInt("transitions.find { it.current_agent == 'lead_qualification_agent'"
                        + " && it.next_agent == 'appointment_booking_agent' }.transition_count")
                >= 1);
        assertTrue(report.getDouble(
                        "success_rate.find { it.processed_by_agent == 'appointment_booking_agent' }" + ".success_rate")
                < 100.0);
        assertTrue(report.getList("booking_rate").size() >= 1);
        assertTrue(report.getInt("queue.completed") >= 2);
        given().when().get("/webhooks/monitoring?days=0").then().statusCode(400);
    }

    @Test
    void ghlFreeSlotsAreAskedForTheRangeInEpochMillisAndParsed() {
        LocalDate day = LocalDate.now().plusDays(10);
        ghl.stubFor(com.github.tomakehurst.wiremock.client.WireMock.get(
                        urlPathEqualTo("/calendars/" + GhlWireMockResource.CALENDAR + "/free-slots"))
                .willReturn(okJson("{\"" + day + "\":{\"slots\":[\"" + day + "T10:00:00Z\",\"" + day + "T09:30:00Z\",\""
                        + day.minusDays(3) + "T09:00:00Z\"]},\"traceId\":\"t-1\"}")));

        List<dev.switchboard.supervisor.crm.calendar.TimeSlot> slots =
                ghlCalendar.findFreeSlots(day, day, Instant.now()).await().atMost(WAIT);

        assertEquals(2, slots.size(), "only slots inside the range, ordered");
        assertEquals(
                day.atTime(9, 30).atZone(java.time.ZoneOffset.UTC).toInstant(),
                slots.get(0).start().toInstant());
        assertEquals(slots.get(0).start().plusMinutes(30), slots.get(0).end());
        LoggedRequest request = ghl.findAll(com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor(
                        urlPathEqualTo("/calendars/" + GhlWireMockResource.CALENDAR + "/free-slots")))
                .getLast();
        assertEquals(
                String.valueOf(
                        day.atStartOfDay(java.time.ZoneOffset.UTC).toInstant().toEpochMilli()),
                request.queryParameter("startDate").firstValue());
        assertEquals("UTC", request.queryParameter("timezone").firstValue());
        assertEquals("2021-04-15", request.getHeader("Version"));
    }
}
