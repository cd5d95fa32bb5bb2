package dev.switchboard.common.seed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.smallrye.mutiny.Uni;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Plain JUnit: reading seed files into checked entries, and the upsert loop. */
class YamlSeedReaderTest {

    /** A raw entry as YAML has it. */
    record Item(String name, Integer size) {}

    private static final YamlSeedReader<Item> READER = YamlSeedReader.of(
            "item",
            YAMLMapper.builder()
                    .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                    .build(),
            Item.class,
            item -> {
                if (item.name() == null || item.name().isBlank()) {
                    throw new IllegalArgumentException("name is required");
                }
                return item;
            });

    @TempDir
    Path dir;

    private static List<SeedEntry<Item>> read(String yaml) {
        return READER.read("test.yaml", yaml.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void readsOneEntryAListOrSeveralDocumentsWithTheirLines() {
        assertEquals(
                List.of(new SeedEntry<>("test.yaml", 2, new Item("one", 1))),
                read("# a comment\nname: one\nsize: 1\nignored: field\n"));
        assertEquals(
                List.of(
                        new SeedEntry<>("test.yaml", 1, new Item("a", null)),
                        new SeedEntry<>("test.yaml", 3, new Item("b", 2))),
                read("- name: a\n\n- name: b\n  size: 2\n"));
        assertEquals(
                List.of("x", "y", "z"),
                read("name: x\n---\n- name: y\n- name: z\n---\n").stream()
                        .map(e -> e.value().name())
                        .toList());
        assertEquals(List.of(), read(""));
        assertEquals(List.of(), read("# only a comment\n"));
    }

    @Test
    void refusesTheFileNamingTheLineOfTheFault() {
        SeedFileException syntax = assertThrows(SeedFileException.class, () -> read("name: ok\nsize: [unclosed\n"));
        assertEquals("test.yaml", syntax.origin());
        assertTrue(syntax.line() >= 2, syntax.getMessage());
        assertInstanceOf(JsonProcessingException.class, syntax.getCause());

        SeedFileException type =
                assertThrows(SeedFileException.class, () -> read("- name: a\n- name: b\n  size: big\n"));
        assertEquals(3, type.line(), type.getMessage());
        assertTrue(type.getMessage().startsWith("test.yaml, line 3: not a valid item file"), type.getMessage());

        SeedFileException refused = assertThrows(SeedFileException.class, () -> read("- name: a\n- size: 3\n"));
        assertEquals("test.yaml, line 2: name is required", refused.getMessage());
        assertEquals("line 2: ", refused.where());
        assertEquals("name is required", refused.detail());
        assertInstanceOf(IllegalArgumentException.class, refused.getCause());

        SeedFileException scalar = assertThrows(SeedFileException.class, () -> read("not an item\n"));
        assertTrue(
                scalar.getMessage().contains("line 1: expected a item (a mapping) or a list of them"),
                scalar.getMessage());
        assertEquals(
                2,
                assertThrows(SeedFileException.class, () -> read("- name: a\n- 42\n"))
                        .line());
    }

    @Test
    void readsADirectoryByFileNameSkippingUnusableFiles() throws IOException {
        Files.writeString(dir.resolve("b.yml"), "name: b\n");
        Files.writeString(dir.resolve("a.yaml"), "- name: a1\n- name: a2\n");
        Files.writeString(dir.resolve("c.yaml"), "name: [broken\n");
        Files.writeString(dir.resolve("d.yaml"), "size: 1\n");
        Files.writeString(dir.resolve("notes.txt"), "name: not yaml by name\n");

        List<SeedEntry<Item>> entries = READER.readDirectory(dir);

        assertEquals(
                List.of("a1", "a2", "b"),
                entries.stream().map(e -> e.value().name()).toList());
        assertEquals(dir.resolve("b.yml").toString(), entries.get(2).origin());
        assertEquals(List.of(), READER.readDirectory(dir.resolve("absent")));
    }

    @Test
    void readsTheFilesAClasspathIndexLists() {
        List<SeedEntry<Item>> entries = READER.readClasspath("seed-test/index.txt");

        assertEquals(
                List.of("from-b", "from-a1", "from-a2"),
                entries.stream().map(e -> e.value().name()).toList());
        assertEquals("classpath:seed-test/b.yaml", entries.get(0).origin());
        assertEquals("classpath:seed-test/a.yml, line 3", entries.get(2).location());
        assertEquals(List.of(), READER.readClasspath("seed-test/absent.txt"));
    }

    @Test
    void upsertsInOrderLaterEntriesWinningAndFailuresSkipped() {
        List<SeedEntry<Item>> entries = List.of(
                new SeedEntry<>("a", 1, new Item("x", 1)),
                new SeedEntry<>("a", 2, new Item("fails", 1)),
                new SeedEntry<>("b", 1, new Item("y", 1)),
                new SeedEntry<>("c", 1, new Item("x", 2)));
        List<String> calls = new CopyOnWriteArrayList<>();

        List<String> results = SeedUpserts.upsertAll("item", entries, Item::name, entry -> {
                    calls.add(entry.value().name() + entry.value().size());
                    if (entry.value().name().equals("fails")) {
                        return Uni.createFrom().failure(new IllegalStateException("database says no"));
                    }
                    return Uni.createFrom().item(entry.value().name() + "@" + entry.origin());
                })
                .await()
                .indefinitely();

        assertEquals(List.of("x2", "fails1", "y1"), calls, "one call per name, at the first one's place");
        assertEquals(List.of("x@c", "y@b"), results);
        assertEquals(
                List.of(),
                SeedUpserts.upsertAll(
                                "item",
                                List.<SeedEntry<Item>>of(),
                                Item::name,
                                entry -> Uni.createFrom().item("never"))
                        .await()
                        .indefinitely());
    }
}
