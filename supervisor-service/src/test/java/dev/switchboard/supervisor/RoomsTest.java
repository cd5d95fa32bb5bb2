package dev.switchboard.supervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The supervisor's packages are the rooms the root README lists, and the rules between rooms hold: nothing imports
 * the HTTP layer ({@code api}), the calendar does not know the CRM webhook queue, sessions do not know the turn
 * pipeline.
 */
class RoomsTest {

    private static final Path SOURCES = Path.of("src/main/java/dev/switchboard/supervisor");
    private static final Pattern ROOM_ROW = Pattern.compile("^\\| `([a-z0-9]+)/` \\|", Pattern.MULTILINE);

    @Test
    void packagesAreTheRoomsTheReadmeLists() throws IOException {
        String readme = Files.readString(Path.of("..", "README.md"));
        Set<String> listed = new TreeSet<>();
        Matcher row = ROOM_ROW.matcher(readme.substring(readme.indexOf("The supervisor's rooms")));
        while (row.find()) {
            listed.add(row.group(1));
        }
        Set<String> packages;
        try (Stream<Path> dirs = Files.list(SOURCES)) {
            packages = dirs.filter(Files::isDirectory)
                    .map(d -> d.getFileName().toString())
                    .collect(Collectors.toCollection(TreeSet::new));
        }
        assertEquals(packages, listed, "README's room table against " + SOURCES);
        try (Stream<Path> loose = Files.list(SOURCES)) {
            assertEquals(List.of(), loose.filter(Files::isRegularFile).toList(), "no class outside a room");
        }
    }

    @Test
    void noRoomImportsTheHttpLayer() {
        assertEquals(List.of(), importsOf("", "dev.switchboard.supervisor.api.", "api"));
    }

    @Test
    void theCalendarDoesNotKnowTheWebhookQueue() {
        assertEquals(List.of(), importsOf("crm/calendar", "dev.switchboard.supervisor.crm.webhook.", null));
        assertEquals(List.of(), importsOf("crm/ghl", "dev.switchboard.supervisor.crm.webhook.", null));
    }

    @Test
    void sessionsDoNotKnowTheTurnPipeline() {
        assertEquals(List.of(), importsOf("sessions", "dev.switchboard.supervisor.chat.", null));
    }

    /** Files under {@code room} (all when empty), except those under {@code except}, that import {@code prefix}. */
    private static List<String> importsOf(String room, String prefix, String except) {
        List<String> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(SOURCES.resolve(room))) {
            files.filter(f -> f.toString().endsWith(".java"))
                    .filter(f -> except == null || !SOURCES.relativize(f).startsWith(except))
                    .forEach(f -> {
                        try {
                            if (Files.readString(f).contains("import " + prefix)) {
                                found.add(SOURCES.relativize(f).toString());
                            }
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return found;
    }
}
