package dev.switchboard.common.seed;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * Reads seed files (definitions a service loads at start) into typed, checked entries with Jackson YAML: the files a
 * classpath index lists, and the {@code *.yaml}/{@code *.yml} files of a directory.
 *
 * <p>A file holds one or more YAML documents ({@code ---} between them); each document is one entry (a mapping) or
 * a list of entries. Each entry is read as the raw type, then passed through the check, which returns the value to
 * keep or throws to refuse it. A file is used whole or not at all: an unreadable file, a YAML error, an entry of the
 * wrong shape or a refused entry skips the file, logged at ERROR with the file, the line and the reason; the other
 * files are still read. Nothing here writes anything, so reading is safe to repeat.
 *
 * @param <T> the checked entry type
 */
public final class YamlSeedReader<T> {

    private static final Logger LOG = Logger.getLogger(YamlSeedReader.class);

    private final String kind;
    private final ObjectMapper yaml;
    private final EntryReader<T> readEntry;

    private YamlSeedReader(String kind, ObjectMapper yaml, EntryReader<T> readEntry) {
        this.kind = kind;
        this.yaml = yaml;
        this.readEntry = readEntry;
    }

    /**
     * @param kind  what an entry is, for logs ({@code agent}, {@code prompt})
     * @param yaml  the mapper entries are read with; its factory must be a {@link YAMLFactory}
     * @param type  the raw type an entry is read as
     * @param check turns a raw entry into the value to keep; throws (any runtime exception, its message saying what
     *              is wrong) to refuse it
     * @param <R>   the raw type
     * @param <T>   the checked type
     * @return the reader (immutable, thread-safe when the mapper and the check are)
     * @throws IllegalArgumentException if the mapper does not read YAML
     */
    public static <R, T> YamlSeedReader<T> of(
            String kind, ObjectMapper yaml, Class<R> type, Function<? super R, ? extends T> check) {
        if (!(yaml.getFactory() instanceof YAMLFactory)) {
            throw new IllegalArgumentException("the seed mapper must read YAML");
        }
        return new YamlSeedReader<>(kind, yaml, parser -> {
            R raw = yaml.readValue(parser, type);
            if (raw == null) {
                throw new IllegalArgumentException("empty " + kind);
            }
            return check.apply(raw);
        });
    }

    /**
     * Reads one file.
     *
     * @param origin  the file's name for messages ({@code classpath:…} or a path)
     * @param content its bytes (UTF-8)
     * @return its entries in file order; none for a file without documents
     * @throws SeedFileException naming the file and the line when the file cannot be used
     */
    public List<SeedEntry<T>> read(String origin, byte[] content) {
        List<SeedEntry<T>> entries = new ArrayList<>();
        int line = 0;
        try (JsonParser parser = yaml.getFactory().createParser(content)) {
            for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
                line = line(parser);
                if (token == JsonToken.START_ARRAY) {
                    for (token = parser.nextToken(); token != JsonToken.END_ARRAY; token = parser.nextToken()) {
                        line = line(parser);
                        entries.add(entry(origin, parser, token));
                    }
                } else if (token != JsonToken.VALUE_NULL) {
                    entries.add(entry(origin, parser, token));
                }
            }
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            throw new SeedFileException(
                    origin,
                    at == null ? line : at.getLineNr(),
                    "not a valid " + kind + " file (" + e.getOriginalMessage() + ")",
                    e);
        } catch (IOException e) {
            throw new SeedFileException(origin, 0, "cannot be read (" + e.getMessage() + ")", e);
        }
        return entries;
    }

    /**
     * Reads the files a classpath index lists: one name per line, relative to the index's folder; blank lines and
     * lines starting with {@code #} are ignored. The index is what finds the files inside a jar, where a folder cannot
     * be listed.
     *
     * @param index the index's resource name, e.g. {@code agents/index.txt}
     * @return the entries of the usable files, in index order; none (logged at WARN) when the index is missing
     */
    public List<SeedEntry<T>> readClasspath(String index) {
        String base = index.contains("/") ? index.substring(0, index.lastIndexOf('/') + 1) : "";
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        List<SeedEntry<T>> entries = new ArrayList<>();
        try (InputStream in = loader.getResourceAsStream(index)) {
            if (in == null) {
                LOG.warnf("No %s index %s on the classpath: no bundled %s entries", kind, index, kind);
                return entries;
            }
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\\R")) {
                String name = line.strip();
                if (name.isEmpty() || name.startsWith("#")) {
                    continue;
                }
                String resource = base + name;
                try (InputStream file = loader.getResourceAsStream(resource)) {
                    if (file == null) {
                        LOG.errorf("Seed file classpath:%s is listed in %s but missing", resource, index);
                        continue;
                    }
                    entries.addAll(readOrSkip("classpath:" + resource, file.readAllBytes()));
                }
            }
        } catch (IOException e) {
            LOG.errorf("Cannot read %s index %s: %s", kind, index, e.getMessage());
        }
        return entries;
    }

    /**
     * Reads the {@code *.yaml} and {@code *.yml} files of {@code dir} (not its subfolders), by file name.
     *
     * @return the entries of the usable files; none (logged at WARN) when {@code dir} is not a directory
     */
    public List<SeedEntry<T>> readDirectory(Path dir) {
        if (!Files.isDirectory(dir)) {
            LOG.warnf("%s seed directory %s does not exist", capitalized(kind), dir);
            return List.of();
        }
        List<Path> files;
        try (Stream<Path> paths = Files.list(dir)) {
            files = paths.filter(
                            p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml"))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            LOG.errorf("Cannot list %s seed directory %s: %s", kind, dir, e.getMessage());
            return List.of();
        }
        List<SeedEntry<T>> entries = new ArrayList<>();
        for (Path file : files) {
            try {
                entries.addAll(readOrSkip(file.toString(), Files.readAllBytes(file)));
            } catch (IOException e) {
                LOG.errorf("Seed file %s skipped: cannot be read (%s)", file, e.getMessage());
            }
        }
        return entries;
    }

    private List<SeedEntry<T>> readOrSkip(String origin, byte[] content) {
        try {
            List<SeedEntry<T>> entries = read(origin, content);
            if (entries.isEmpty()) {
                LOG.warnf("Seed file %s holds no %s entries", origin, kind);
            } else {
                LOG.debugf("Read %d %s entries from %s", entries.size(), kind, origin);
            }
            return entries;
        } catch (SeedFileException e) {
            LOG.errorf("Seed file %s skipped: %s", origin, e.where() + e.detail());
            return List.of();
        }
    }

    private SeedEntry<T> entry(String origin, JsonParser parser, JsonToken token) throws IOException {
        int line = line(parser);
        if (token != JsonToken.START_OBJECT) {
            throw new SeedFileException(
                    origin,
                    line,
                    "expected a " + kind + " (a mapping) or a list of them, found " + token.asString(),
                    null);
        }
        try {
            return new SeedEntry<>(origin, line, readEntry.read(parser));
        } catch (SeedFileException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new SeedFileException(origin, line, e.getMessage(), e);
        }
    }

    private static int line(JsonParser parser) {
        return parser.currentTokenLocation().getLineNr();
    }

    private static String capitalized(String text) {
        return text.isEmpty() ? text : Character.toUpperCase(text.charAt(0)) + text.substring(1);
    }

    /** Reads the entry the parser is at (leaving it on the entry's last token) and checks it. */
    @FunctionalInterface
    private interface EntryReader<T> {
        T read(JsonParser parser) throws IOException;
    }
}
