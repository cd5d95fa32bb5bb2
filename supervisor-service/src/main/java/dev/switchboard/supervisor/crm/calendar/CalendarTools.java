package dev.switchboard.supervisor.crm.calendar;

import dev.langchain4j.agent.tool.P;
import dev.langchain4j.agent.tool.Tool;
import dev.langchain4j.agent.tool.ToolMemoryId;
import dev.langchain4j.invocation.InvocationParameters;
import dev.switchboard.supervisor.config.SupervisorConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.TextStyle;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The calendar tools LLM agents may call ({@code check_availability}, {@code book_appointment}). They answer
 * with compact text for the model and never throw for bad input: the reason goes back to the model.
 *
 * <p>Tool methods block (bounded by {@code supervisor.llm.tool-timeout}) and must be called on a worker
 * thread, which the agent executor guarantees.
 */
@ApplicationScoped
public class CalendarTools {

    /** Name of the availability tool, as agents list it in {@code tools}. */
    public static final String CHECK_AVAILABILITY = "check_availability";
    /** Name of the booking tool, as agents list it in {@code tools}. */
    public static final String BOOK_APPOINTMENT = "book_appointment";

    /** The invocation parameter the agent executor puts each call's key in (the agents' tool registry's name). */
    static final String TOOL_CALL_KEY = "tool_call_key";

    private static final DateTimeFormatter HH_MM = DateTimeFormatter.ofPattern("HH:mm");

    private final CalendarBackend calendar;
    private final Duration toolTimeout;

    /** CDI constructor: the calendar backend chosen by configuration (local, or GoHighLevel for CRM contacts). */
    public CalendarTools(CalendarBackend calendar, SupervisorConfig config) {
        this.calendar = calendar;
        this.toolTimeout = config.llm().toolTimeout();
    }

    /**
     * Free slots between two dates, one line per day: {@code 2030-01-07 Mon: 09:00 09:30 ...} or
     * {@code none}; a header names the slot length and time zone.
     *
     * @param sessionId the chat session (filled in by the executor, not by the model)
     * @param startDate first day, ISO {@code yyyy-MM-dd}
     * @param endDate   last day, ISO {@code yyyy-MM-dd} (inclusive, at most 14 days after the first)
     * @return the slots as text, or {@code Error: <reason>}
     */
    @Tool(
            name = CHECK_AVAILABILITY,
            value = "Lists the free appointment slots between two dates (inclusive, "
                    + "at most 14 days) within business hours. Each listed time is the start of a free slot in the "
                    + "business time zone. Past slots are not listed.")
    public String checkAvailability(
            @ToolMemoryId String sessionId,
            @P(name = "start_date", value = "First day to check, ISO date yyyy-MM-dd") String startDate,
            @P(name = "end_date", value = "Last day to check (inclusive), ISO date yyyy-MM-dd") String endDate) {
        LocalDate from;
        LocalDate to;
        try {
            from = LocalDate.parse(startDate.strip());
            to = LocalDate.parse(endDate.strip());
        } catch (DateTimeParseException | NullPointerException e) {
            return "Error: dates must be ISO dates like 2030-01-31";
        }
        try {
            List<TimeSlot> slots =
                    calendar.findFreeSlots(sessionId, from, to).await().atMost(toolTimeout);
            return formatSlots(from, to, slots);
        } catch (InvalidCalendarRequestException e) {
            return "Error: " + e.getMessage();
        }
    }

    /**
     * {@link #checkAvailability(String, String, String)} outside any chat session (the local calendar).
     *
     * @param startDate first day, ISO {@code yyyy-MM-dd}
     * @param endDate   last day, ISO {@code yyyy-MM-dd}
     * @return the slots as text, or {@code Error: <reason>}
     */
    public String checkAvailability(String startDate, String endDate) {
        return checkAvailability(null, startDate, endDate);
    }

    /**
     * {@link #bookAppointment(String, String, String, int, String, String, String, InvocationParameters)} without a
     * tool call key (every call books).
     *
     * @return {@code Booked: appointment <uuid> ...} or {@code Not booked: <reason>}
     */
    public String bookAppointment(
            String sessionId,
            String date,
            String startTime,
            int durationMinutes,
            String name,
            String contact,
            String notes) {
        return bookAppointment(
                sessionId, date, startTime, durationMinutes, name, contact, notes, new InvocationParameters());
    }

    /**
     * Books an appointment for the session that calls it, once per tool call key: a turn run again under its turn id
     * (an idempotent request retried) gets the appointment its first run booked, not a second one.
     *
     * @param sessionId       the chat session (filled in by the executor, not by the model)
     * @param date            day, ISO {@code yyyy-MM-dd}
     * @param startTime       local start time {@code HH:mm}
     * @param durationMinutes length in minutes
     * @param name            the person's name
     * @param contact         the person's email or phone
     * @param notes           optional notes
     * @param invocation      filled in by the executor, not by the model: {@code tool_call_key}, the call's key
     * @return {@code Booked: appointment <uuid> ...} or {@code Not booked: <reason>}
     */
    @Tool(
            name = BOOK_APPOINTMENT,
            value = "Books an appointment in a free slot within business hours. Check "
                    + "availability first. Returns a confirmation with the appointment id, or the reason it could not "
                    + "be booked.")
    public String bookAppointment(
            @ToolMemoryId String sessionId,
            @P(name = "date", value = "Day of the appointment, ISO date yyyy-MM-dd") String date,
            @P(name = "start_time", value = "Start time HH:mm (24-hour) in the business time zone") String startTime,
            @P(name = "duration_minutes", value = "Length of the appointment in minutes, e.g. 30") int durationMinutes,
            @P(name = "name", value = "Full name of the person the appointment is for") String name,
            @P(name = "contact", value = "Email address or phone number of that person") String contact,
            @P(name = "notes", value = "Optional notes, e.g. the topic", required = false) String notes,
            InvocationParameters invocation) {
        LocalDate day;
        LocalTime start;
        try {
            day = LocalDate.parse(date.strip());
            start = LocalTime.parse(startTime.strip());
        } catch (DateTimeParseException | NullPointerException e) {
            return "Not booked: the date must look like 2030-01-31 and the start time like 14:30";
        }
        BookingResult result = calendar.bookAppointment(new BookingRequest(
                        day,
                        start,
                        durationMinutes,
                        name,
                        contact,
                        notes,
                        sessionId,
                        invocation == null ? null : invocation.get(TOOL_CALL_KEY)))
                .await()
                .atMost(toolTimeout);
        if (!result.isBooked()) {
            return "Not booked: " + result.refusal();
        }
        Appointment a = result.appointment();
        return "Booked: appointment " + a.id() + " on " + a.startsAt().toLocalDate() + " from "
                + a.startsAt().format(HH_MM) + " to " + a.endsAt().format(HH_MM) + " (" + calendar.zone() + ") for "
                + a.contactName() + ".";
    }

    /** Renders slots as the text {@link #checkAvailability} returns (one line per day, {@code none} if empty). */
    String formatSlots(LocalDate from, LocalDate to, List<TimeSlot> slots) {
        Map<LocalDate, List<String>> byDay = new LinkedHashMap<>();
        for (LocalDate d = from; !d.isAfter(to); d = d.plusDays(1)) {
            byDay.put(d, new ArrayList<>());
        }
        for (TimeSlot slot : slots) {
            byDay.computeIfAbsent(slot.start().toLocalDate(), d -> new ArrayList<>())
                    .add(slot.start().format(HH_MM));
        }
        String header = "Free " + calendar.slotMinutes() + "-minute slots (time zone " + calendar.zone() + "), " + from
                + " to " + to + ":";
        return byDay.entrySet().stream()
                .map(e -> e.getKey() + " " + e.getKey().getDayOfWeek().getDisplayName(TextStyle.SHORT, Locale.ENGLISH)
                        + ": " + (e.getValue().isEmpty() ? "none" : String.join(" ", e.getValue())))
                .collect(Collectors.joining("\n", header + "\n", ""));
    }
}
