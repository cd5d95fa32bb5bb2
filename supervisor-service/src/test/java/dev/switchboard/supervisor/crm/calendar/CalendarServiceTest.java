package dev.switchboard.supervisor.crm.calendar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.common.test.InfrastructureTestResource;
import dev.switchboard.supervisor.testing.OpenAiWireMockResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.temporal.TemporalAdjusters;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = InfrastructureTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = OpenAiWireMockResource.class, restrictToAnnotatedClass = false)
class CalendarServiceTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @Inject
    CalendarService calendar;

    @Inject
    CalendarTools tools;

    @Inject
    Pool pool;

    private String sessionId;
    private LocalDate monday;

    @BeforeEach
    void pickAFreeWeek() {
        sessionId = "cal-test-" + UUID.randomUUID();
        // a random far-future week: no other test (or earlier run) books there
        monday = LocalDate.now(calendar.zone())
                .plusWeeks(10 + ThreadLocalRandom.current().nextInt(40_000))
                .with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
    }

    @AfterEach
    void deleteOwnAppointments() {
        pool.preparedQuery("DELETE FROM supervisor.appointments WHERE session_id = $1")
                .execute(Tuple.of(sessionId))
                .await()
                .atMost(WAIT);
    }

    private BookingResult book(LocalDate day, String time, int minutes) {
        return calendar.bookAppointment(new BookingRequest(
                        day,
                        LocalTime.parse(time),
                        minutes,
                        "Ada Lovelace",
                        "ada@example.com",
                        "intro call",
                        sessionId))
                .await()
                .atMost(WAIT);
    }

    private List<String> freeStarts(LocalDate from, LocalDate to, Instant now) {
        return calendar.findFreeSlots(from, to, now).await().atMost(WAIT).stream()
                .map(s -> s.start().toLocalDate() + "T" + s.start().toLocalTime())
                .toList();
    }

    @Test
    void listsSlotsWithinBusinessHoursOnly() {
        List<String> free = freeStarts(monday, monday.plusDays(6), Instant.now());

        // Mon-Fri 09:00-17:00 in 30-minute slots, weekend closed
        assertEquals(5 * 16, free.size());
        assertEquals(monday + "T09:00", free.get(0));
        assertEquals(monday + "T16:30", free.get(15));
        assertTrue(free.stream()
                .noneMatch(s -> s.startsWith(monday.plusDays(5).toString())
                        || s.startsWith(monday.plusDays(6).toString())));
        assertTrue(free.stream().noneMatch(s -> s.endsWith("T08:30") || s.endsWith("T17:00")));
    }

    @Test
    void excludesBookedSlots() {
        BookingResult booked = book(monday, "10:00", 60);
        assertTrue(booked.isBooked(), () -> "refused: " + booked.refusal());

        List<String> free = freeStarts(monday, monday, Instant.now());

        assertEquals(14, free.size());
        assertTrue(free.contains(monday + "T09:30"));
        assertFalse(free.contains(monday + "T10:00"));
        assertFalse(free.contains(monday + "T10:30"));
        assertTrue(free.contains(monday + "T11:00"));
    }

    @Test
    void excludesPastSlots() {
        Instant tuesdayNoon =
                monday.plusDays(1).atTime(12, 0).atZone(calendar.zone()).toInstant();

        List<String> free = freeStarts(monday, monday.plusDays(1), tuesdayNoon);

        assertEquals(
                List.of("12:00", "12:30", "13:00", "13:30", "14:00", "14:30", "15:00", "15:30", "16:00", "16:30"),
                free.stream().map(s -> s.substring(s.indexOf('T') + 1)).toList());
    }

    @Test
    void writesTheAppointmentRow() {
        BookingResult result = book(monday.plusDays(2), "14:30", 30);

        assertTrue(result.isBooked());
        var row = pool.preparedQuery("SELECT starts_at, ends_at, contact_name, contact, status, notes"
                        + " FROM supervisor.appointments WHERE id = $1")
                .execute(Tuple.of(result.appointment().id()))
                .await()
                .atMost(WAIT)
                .iterator()
                .next();
        assertEquals(
                monday.plusDays(2).atTime(14, 30).atZone(calendar.zone()).toInstant(),
                row.getOffsetDateTime("starts_at").toInstant());
        assertEquals(
                monday.plusDays(2).atTime(15, 0).atZone(calendar.zone()).toInstant(),
                row.getOffsetDateTime("ends_at").toInstant());
        assertEquals("Ada Lovelace", row.getString("contact_name"));
        assertEquals("ada@example.com", row.getString("contact"));
        assertEquals("booked", row.getString("status"));
        assertEquals("intro call", row.getString("notes"));
    }

    @Test
    void refusesOverlappingOutOfHoursClosedDayAndPastBookings() {
        assertTrue(book(monday, "09:00", 60).isBooked());

        assertTrue(book(monday, "09:30", 30).refusal().contains("already booked"));
        assertTrue(book(monday, "16:45", 30).refusal().contains("outside business hours"));
        assertTrue(book(monday, "08:30", 60).refusal().contains("outside business hours"));
        assertTrue(book(monday.plusDays(5), "10:00", 30).refusal().contains("closed"));
        assertEquals(
                "That time is in the past",
                book(LocalDate.now(calendar.zone()).minusDays(3), "10:00", 30).refusal());
        assertEquals(
                1L,
                pool.preparedQuery("SELECT count(*) FROM supervisor.appointments WHERE session_id = $1")
                        .execute(Tuple.of(sessionId))
                        .await()
                        .atMost(WAIT)
                        .iterator()
                        .next()
                        .getLong(0));
    }

    @Test
    void rejectsReversedOrTooWideRanges() {
        Throwable reversed = assertThrows(
                RuntimeException.class,
                () -> calendar.findFreeSlots(monday, monday.minusDays(1))
                        .await()
                        .atMost(WAIT));
        assertInstanceOf(InvalidCalendarRequestException.class, reversed);
        Throwable wide = assertThrows(
                RuntimeException.class,
                () -> calendar.findFreeSlots(monday, monday.plusDays(14))
                        .await()
                        .atMost(WAIT));
        assertEquals(
                "The date range may span at most 14 days",
                assertInstanceOf(InvalidCalendarRequestException.class, wide).getMessage());
        // exactly 14 days is allowed: two weeks of 10 business days
        assertEquals(
                10 * 16,
                calendar.findFreeSlots(monday, monday.plusDays(13))
                        .await()
                        .atMost(WAIT)
                        .size());
    }

    @Test
    void toolsAnswerWithTextForModels() {
        assertTrue(book(monday, "09:00", 30).isBooked());

        String text =
                tools.checkAvailability(monday.toString(), monday.plusDays(1).toString());

        assertEquals(
                "Free 30-minute slots (time zone " + calendar.zone() + "), " + monday + " to " + monday.plusDays(1)
                        + ":\n" + monday
                        + " Mon: 09:30 10:00 10:30 11:00 11:30 12:00 12:30 13:00 13:30 14:00 14:30 15:00 15:30"
                        + " 16:00 16:30\n" + monday.plusDays(1)
                        + " Tue: 09:00 09:30 10:00 10:30 11:00 11:30 12:00 12:30 13:00"
                        + " 13:30 14:00 14:30 15:00 15:30 16:00 16:30",
                text);
        assertTrue(tools.checkAvailability("next monday", "x").startsWith("Error: "));
        assertTrue(
                tools.checkAvailability(monday.toString(), monday.plusDays(20).toString())
                        .startsWith("Error: The date range may span at most 14 days"));
        assertTrue(tools.bookAppointment(sessionId, monday.toString(), "09:00", 30, "Bob", "bob@example.com", null)
                .startsWith("Not booked: "));
        assertTrue(tools.bookAppointment(sessionId, monday.toString(), "13:00", 30, "Bob", "bob@example.com", null)
                .matches("Booked: appointment [0-9a-f-]{36} on " + monday + " from 13:00 to 13:30 .*"));
    }
}
