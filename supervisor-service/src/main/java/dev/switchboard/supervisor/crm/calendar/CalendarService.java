package dev.switchboard.supervisor.crm.calendar;

import dev.switchboard.supervisor.config.SupervisorConfig;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgException;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * The local calendar in PostgreSQL ({@code supervisor.business_hours}, {@code supervisor.appointments}): free
 * slots within business hours and bookings that never overlap (an exclusion constraint guards concurrent ones).
 * All local dates and times are in {@code supervisor.calendar.timezone}.
 */
@ApplicationScoped
public class CalendarService {

    private static final Logger LOG = Logger.getLogger(CalendarService.class);
    /** SQLSTATE of an exclusion constraint violation (a concurrent overlapping booking). */
    private static final String EXCLUSION_VIOLATION = "23P01";
    /** SQLSTATE of a unique violation (the same tool call booked concurrently). */
    private static final String UNIQUE_VIOLATION = "23505";

    private static final int MAX_TEXT = 500;

    private final Pool pool;
    private final ZoneId zone;
    private final int slotMinutes;
    private final CalendarRules rules;
    private final int maxDurationMinutes;

    /** CDI constructor. */
    public CalendarService(Pool pool, SupervisorConfig config) {
        this.pool = pool;
        this.rules = CalendarRules.of(config);
        this.zone = rules.zone();
        this.slotMinutes = rules.slotMinutes();
        this.maxDurationMinutes = rules.maxDurationMinutes();
    }

    /** @return the business time zone */
    public ZoneId zone() {
        return zone;
    }

    /** @return the slot length in minutes */
    public int slotMinutes() {
        return slotMinutes;
    }

    /**
     * Free slots between two dates, inclusive, from now on.
     *
     * @see #findFreeSlots(LocalDate, LocalDate, Instant)
     */
    public Uni<List<TimeSlot>> findFreeSlots(LocalDate from, LocalDate to) {
        return findFreeSlots(from, to, Instant.now());
    }

    /**
     * Free slots of {@code slot-minutes} between two local dates (inclusive): slots inside each weekday's
     * business hours, starting at or after {@code now}, not overlapping a booked appointment; ordered by start.
     *
     * @param from first day
     * @param to   last day (at most {@code max-range-days} days after {@code from}, counted inclusively)
     * @param now  the current instant (slots starting earlier are left out)
     * @return the free slots; fails with {@link InvalidCalendarRequestException} for a reversed or too wide range
     */
    public Uni<List<TimeSlot>> findFreeSlots(LocalDate from, LocalDate to, Instant now) {
        InvalidCalendarRequestException problem = rules.rangeProblem(from, to);
        if (problem != null) {
            return Uni.createFrom().failure(problem);
        }
        OffsetDateTime rangeStart = from.atStartOfDay(zone).toOffsetDateTime();
        OffsetDateTime rangeEnd = to.plusDays(1).atStartOfDay(zone).toOffsetDateTime();
        return findBusinessHours()
                .chain(hours -> pool.preparedQuery("SELECT starts_at, ends_at FROM supervisor.appointments"
                                + " WHERE status = 'booked' AND starts_at < $2 AND ends_at > $1")
                        .execute(Tuple.of(rangeStart, rangeEnd))
                        .map(rows -> {
                            List<Instant[]> booked = new ArrayList<>();
                            for (Row row : rows) {
                                booked.add(new Instant[] {
                                    row.getOffsetDateTime("starts_at").toInstant(),
                                    row.getOffsetDateTime("ends_at").toInstant()
                                });
                            }
                            return computeFreeSlots(from, to, hours, booked, now);
                        }));
    }

    /** Builds the slot grid and removes past and booked slots. */
    private List<TimeSlot> computeFreeSlots(
            LocalDate from, LocalDate to, Map<DayOfWeek, LocalTime[]> hours, List<Instant[]> booked, Instant now) {
        List<TimeSlot> free = new ArrayList<>();
        for (LocalDate day = from; !day.isAfter(to); day = day.plusDays(1)) {
            LocalTime[] open = hours.get(day.getDayOfWeek());
            if (open == null) {
                continue;
            }
            LocalDateTime closes = day.atTime(open[1]);
            for (LocalDateTime start = day.atTime(open[0]);
                    !start.plusMinutes(slotMinutes).isAfter(closes);
                    start = start.plusMinutes(slotMinutes)) {
                ZonedDateTime slotStart = start.atZone(zone);
                ZonedDateTime slotEnd = start.plusMinutes(slotMinutes).atZone(zone);
                if (slotStart.toInstant().isBefore(now) || overlapsAny(slotStart, slotEnd, booked)) {
                    continue;
                }
                free.add(new TimeSlot(slotStart, slotEnd));
            }
        }
        return free;
    }

    private static boolean overlapsAny(ZonedDateTime start, ZonedDateTime end, List<Instant[]> booked) {
        for (Instant[] b : booked) {
            if (start.toInstant().isBefore(b[1]) && b[0].isBefore(end.toInstant())) {
                return true;
            }
        }
        return false;
    }

    /**
     * Business hours per weekday; days without a row are closed.
     *
     * @return weekday → {opens, closes} (local times)
     */
    public Uni<Map<DayOfWeek, LocalTime[]>> findBusinessHours() {
        return pool.query("SELECT weekday, opens, closes FROM supervisor.business_hours")
                .execute()
                .map(rows -> {
                    Map<DayOfWeek, LocalTime[]> hours = new EnumMap<>(DayOfWeek.class);
                    for (Row row : rows) {
                        hours.put(
                                DayOfWeek.of(row.getInteger("weekday")),
                                new LocalTime[] {row.getLocalTime("opens"), row.getLocalTime("closes")});
                    }
                    return hours;
                });
    }

    /**
     * Books an appointment from now on.
     *
     * @see #bookAppointment(BookingRequest, Instant)
     */
    public Uni<BookingResult> bookAppointment(BookingRequest request) {
        return bookAppointment(request, Instant.now());
    }

    /**
     * Books an appointment if it lies in the future, within the day's business hours and overlaps no booked
     * appointment. The overlap check and the insert run in one transaction; a concurrent overlapping insert
     * is rejected by the exclusion constraint and reported as a refusal too. A request with an
     * {@link BookingRequest#idempotencyKey() idempotency key} books once: when an appointment with that key exists
     * (this tool call booked before), it is answered as booked and nothing is written (a unique index on the key
     * settles two concurrent attempts).
     *
     * @param request what to book
     * @param now     the current instant
     * @return {@link BookingResult#booked} with the new appointment, or {@link BookingResult#refused} with a
     *         user-readable reason (outside business hours, in the past, slot taken, missing name/contact)
     */
    public Uni<BookingResult> bookAppointment(BookingRequest request, Instant now) {
        if (request.idempotencyKey() == null) {
            return bookOnce(request, now);
        }
        // a tool call made again (its turn run again under the same turn id) answers the booking it made then
        return findByIdempotencyKey(request.idempotencyKey()).chain(existing -> {
            if (existing != null) {
                LOG.infof(
                        "Appointment %s was already booked by tool call %s; not booking again",
                        existing.id(), request.idempotencyKey());
                return Uni.createFrom().item(BookingResult.booked(existing));
            }
            return bookOnce(request, now)
                    .onFailure(e -> e instanceof PgException pg && UNIQUE_VIOLATION.equals(pg.getSqlState()))
                    .recoverWithUni(() -> findByIdempotencyKey(request.idempotencyKey())
                            .map(BookingResult::booked)); // the same call booked concurrently
        });
    }

    /** @return the appointment a tool call with this key booked, or {@code null} item */
    private Uni<Appointment> findByIdempotencyKey(String key) {
        return pool.preparedQuery("SELECT id, starts_at, ends_at, title, contact_name, contact, notes, session_id,"
                        + " status FROM supervisor.appointments WHERE idempotency_key = $1")
                .execute(Tuple.of(key))
                .map(rows -> {
                    if (rows.size() == 0) {
                        return null;
                    }
                    Row row = rows.iterator().next();
                    return new Appointment(
                            row.getUUID("id"),
                            row.getOffsetDateTime("starts_at").atZoneSameInstant(zone),
                            row.getOffsetDateTime("ends_at").atZoneSameInstant(zone),
                            row.getString("title"),
                            row.getString("contact_name"),
                            row.getString("contact"),
                            row.getString("notes"),
                            row.getString("session_id"),
                            row.getString("status"));
                });
    }

    private Uni<BookingResult> bookOnce(BookingRequest request, Instant now) {
        String invalid = validate(request);
        if (invalid != null) {
            return Uni.createFrom().item(BookingResult.refused(invalid));
        }
        LocalDateTime localStart = request.date().atTime(request.startTime());
        LocalDateTime localEnd = localStart.plusMinutes(request.durationMinutes());
        ZonedDateTime start = localStart.atZone(zone);
        ZonedDateTime end = localEnd.atZone(zone);
        if (start.toInstant().isBefore(now)) {
            return Uni.createFrom().item(BookingResult.refused("That time is in the past"));
        }
        return findBusinessHours()
                .chain(hours -> {
                    LocalTime[] open = hours.get(request.date().getDayOfWeek());
                    if (open == null) {
                        return Uni.createFrom()
                                .item(BookingResult.refused("We are closed on "
                                        + request.date()
                                                .getDayOfWeek()
                                                .toString()
                                                .toLowerCase() + "s"));
                    }
                    if (localStart.isBefore(request.date().atTime(open[0]))
                            || localEnd.isAfter(request.date().atTime(open[1]))) {
                        return Uni.createFrom()
                                .item(BookingResult.refused("That time is outside business hours (" + open[0] + "-"
                                        + open[1] + " on " + request.date() + ", " + zone + ")"));
                    }
                    Appointment appointment = new Appointment(
                            UUID.randomUUID(),
                            start,
                            end,
                            title(request),
                            request.name().strip(),
                            request.contact().strip(),
                            blankToNull(request.notes()),
                            request.sessionId(),
                            "booked");
                    return pool.withTransaction(conn -> insertIfFree(conn, appointment, request.idempotencyKey()))
                            .onFailure(e -> e instanceof PgException pg && EXCLUSION_VIOLATION.equals(pg.getSqlState()))
                            .recoverWithItem(() -> BookingResult.refused("That time was just booked by someone else"));
                })
                .invoke(result -> {
                    if (result.isBooked()) {
                        LOG.infof(
                                "Booked appointment %s at %s (session %s)",
                                result.appointment().id(), result.appointment().startsAt(), request.sessionId());
                    } else {
                        LOG.debugf("Booking refused (session %s): %s", request.sessionId(), result.refusal());
                    }
                });
    }

    private Uni<BookingResult> insertIfFree(SqlConnection conn, Appointment a, String idempotencyKey) {
        OffsetDateTime start = a.startsAt().toOffsetDateTime();
        OffsetDateTime end = a.endsAt().toOffsetDateTime();
        return conn.preparedQuery("SELECT id FROM supervisor.appointments"
                        + " WHERE status = 'booked' AND starts_at < $2 AND ends_at > $1 FOR UPDATE")
                .execute(Tuple.of(start, end))
                .chain(rows -> {
                    if (rows.size() > 0) {
                        return Uni.createFrom().item(BookingResult.refused("That time is already booked"));
                    }
                    return conn.preparedQuery("INSERT INTO supervisor.appointments"
                                    + " (id, starts_at, ends_at, title, contact_name, contact, notes, session_id, status,"
                                    + " idempotency_key) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'booked', $9)")
                            .execute(Tuple.tuple()
                                    .addUUID(a.id())
                                    .addOffsetDateTime(start)
                                    .addOffsetDateTime(end)
                                    .addString(a.title())
                                    .addString(a.contactName())
                                    .addString(a.contact())
                                    .addString(a.notes())
                                    .addString(a.sessionId())
                                    .addString(idempotencyKey))
                            .map(ignored -> BookingResult.booked(a));
                });
    }

    private String validate(BookingRequest r) {
        if (r.date() == null || r.startTime() == null) {
            return "A date and a start time are required";
        }
        if (r.durationMinutes() < 1 || r.durationMinutes() > maxDurationMinutes) {
            return "The duration must be between 1 and " + maxDurationMinutes + " minutes";
        }
        if (r.name() == null || r.name().isBlank() || r.name().length() > MAX_TEXT) {
            return "The name of the person is required";
        }
        if (r.contact() == null || r.contact().isBlank() || r.contact().length() > MAX_TEXT) {
            return "A contact (email or phone) is required";
        }
        if (r.notes() != null && r.notes().length() > 4 * MAX_TEXT) {
            return "The notes are too long";
        }
        return null;
    }

    private static String title(BookingRequest r) {
        return "Appointment with " + r.name().strip();
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
