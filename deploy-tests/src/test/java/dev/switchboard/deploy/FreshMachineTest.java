package dev.switchboard.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's build command typed in a new shell on a machine whose default {@code java} is older than the
 * build's Java 21 (JAVA_HOME unset, a JDK 21+ installed beside it): the wrapper finds the newer JDK by itself,
 * or says in one line what to install and where it looked.
 */
class FreshMachineTest {

    private static final Pattern JAVA_VERSION = Pattern.compile("(?m)^Java version: (\\d+)");

    /** A JDK older than 21 installed on this machine, to stand as the default {@code java}. */
    private static Path oldJdk;

    @BeforeAll
    static void findOldJdk() throws IOException {
        oldJdk = olderJdk().orElse(null);
    }

    /** The PATH directory of this test's {@code java}: links to the old JDK. */
    private Path bin;

    @AfterEach
    void removeBin() throws IOException {
        if (bin != null) {
            try (Stream<Path> links = Files.list(bin)) {
                for (Path link : links.toList()) {
                    Files.delete(link);
                }
            }
            Files.delete(bin);
        }
    }

    @Test
    void wrapperFindsAJdk21WhenTheDefaultJavaIsOlder() throws IOException {
        assumeTrue(oldJdk != null, "skipped: no JDK older than 21 under /usr/lib/jvm to stand as the default java");
        Repo.Outcome outcome = Repo.run(Duration.ofMinutes(3), freshShell(Map.of()), "./mvnw", "-v");
        assertEquals(0, outcome.exitCode(), outcome.stderr());
        Matcher version = JAVA_VERSION.matcher(outcome.stdout());
        assertTrue(version.find(), outcome.stdout());
        assertTrue(Integer.parseInt(version.group(1)) >= 21, "Maven runs on " + version.group());
    }

    @Test
    void wrapperSaysInOneLineWhatToInstallWhenNoJdk21Exists(@TempDir Path noJdks) throws IOException {
        assumeTrue(oldJdk != null, "skipped: no JDK older than 21 under /usr/lib/jvm to stand as the default java");
        Repo.Outcome outcome = Repo.run(
                Duration.ofMinutes(1),
                freshShell(Map.of("SWITCHBOARD_JDK_DIRS", noJdks.toString(), "HOME", noJdks.toString())),
                "./mvnw",
                "-v");
        assertEquals(1, outcome.exitCode());
        assertEquals("", outcome.stdout());
        List<String> lines = outcome.stderr().lines().toList();
        assertEquals(1, lines.size(), outcome.stderr());
        assertTrue(
                lines.get(0).contains("needs a JDK 21 or newer")
                        && lines.get(0).contains("install")
                        && lines.get(0).contains("Java " + feature(oldJdk))
                        && lines.get(0).contains(noJdks.toString()),
                lines.get(0));
    }

    /** A new shell's environment: no JAVA_HOME, and a PATH whose {@code java} is the old JDK's. */
    private Map<String, String> freshShell(Map<String, String> more) throws IOException {
        // Not a @TempDir: JUnit warns about every symbolic link it deletes there.
        bin = Files.createTempDirectory("fresh-machine-bin");
        for (String tool : List.of("java", "javac")) {
            Files.createSymbolicLink(bin.resolve(tool), oldJdk.resolve("bin").resolve(tool));
        }
        Map<String, String> env = new HashMap<>(more);
        env.put("JAVA_HOME", null);
        env.put("PATH", bin + ":/usr/local/bin:/usr/bin:/bin");
        return env;
    }

    private static Optional<Path> olderJdk() throws IOException {
        Path jvms = Path.of("/usr/lib/jvm");
        if (!Files.isDirectory(jvms)) {
            return Optional.empty();
        }
        try (Stream<Path> homes = Files.list(jvms)) {
            return homes.filter(h -> Files.isExecutable(h.resolve("bin/javac")) && !Files.isSymbolicLink(h))
                    .filter(h -> feature(h) > 0 && feature(h) < 21)
                    .sorted()
                    .findFirst();
        }
    }

    /** The feature version in a JDK's {@code release} file, or 0 when unknown. */
    private static int feature(Path home) {
        try {
            Matcher m =
                    Pattern.compile("(?m)^JAVA_VERSION=\"(\\d+)").matcher(Files.readString(home.resolve("release")));
            return m.find() ? Integer.parseInt(m.group(1)) : 0;
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
    }
}
