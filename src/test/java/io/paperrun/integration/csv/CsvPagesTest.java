package io.paperrun.integration.csv;

import static org.assertj.core.api.Assertions.assertThat;

import io.paperrun.batch.ImportLine;
import io.paperrun.batch.Page;
import io.paperrun.batch.Partitions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The partitions of one reading read a file through one shared parse, each getting exactly the lines of its
 * slice, in file order and in pages, whether the other partitions read along, never come, or stop early.
 */
class CsvPagesTest {

    private static final int LINES = 5000;

    @TempDir
    Path dir;

    /** {@code id,n}: ids 0..LINES-1, with id 7 repeated at the end (its lines stay in one slice, in order). */
    private Path file() throws Exception {
        StringBuilder csv = new StringBuilder("id,n\n");
        for (int i = 0; i < LINES; i++) {
            csv.append(i).append(',').append(i).append('\n');
        }
        csv.append("7,").append(LINES).append('\n');
        return Files.writeString(dir.resolve("lines.csv"), csv);
    }

    private static Reading reader(Path file, int partition) {
        return (readingId) -> new CsvPages<String>(
                "testCsvReader",
                file,
                "id",
                row -> row.text("id") + ":" + row.text("n"),
                new Partitions.Slice(partition, 2),
                readingId);
    }

    /** Pages of one slice, for the reading given. */
    private interface Reading {
        CsvPages<String> pages(String readingId);
    }

    /** The lines partition {@code partition} of 2 must read: ids whose hash falls in it, in file order. */
    private static List<String> expected(int partition) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < LINES; i++) {
            if (Math.floorMod(Integer.toString(i).hashCode(), 2) == partition) {
                out.add(i + ":" + i);
            }
        }
        if (Math.floorMod("7".hashCode(), 2) == partition) {
            out.add("7:" + LINES);
        }
        return out;
    }

    /** Reads page by page on a thread of its own, in reading {@code job} (null: none), as a partition does. */
    private static CompletableFuture<List<String>> read(Reading reading, Long job, int upTo) {
        return CompletableFuture.supplyAsync(() -> {
            List<String> out = new ArrayList<>();
            try (CsvPages<String> pages = reading.pages(job == null ? null : job.toString())) {
                String cursor = null;
                do {
                    Page<String> page = pages.fetch(cursor);
                    for (ImportLine<String> line : page.lines()) {
                        if (out.size() < upTo) {
                            out.add(((ImportLine.Accepted<String>) line).value());
                        }
                    }
                    cursor = page.next();
                } while (cursor != null && out.size() < upTo);
                return out;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    @Test
    void aPageResumesAfterItsCursorInAFreshReading() throws Exception {
        Path file = file();
        List<String> whole = read(reader(file, 1), null, Integer.MAX_VALUE).get(30, TimeUnit.SECONDS);
        assertThat(whole).hasSizeGreaterThan(CsvPages.PAGE);
        try (CsvPages<String> first = reader(file, 1).pages(null)) {
            Page<String> page = first.fetch(null);
            assertThat(page.lines()).hasSize(CsvPages.PAGE);
            assertThat(page.next()).isEqualTo(Integer.toString(CsvPages.PAGE));
            try (CsvPages<String> restarted = reader(file, 1).pages(null)) { // as after a restart
                Page<String> second = restarted.fetch(page.next());
                assertThat(((ImportLine.Accepted<String>) second.lines().get(0)).value())
                        .isEqualTo(whole.get(CsvPages.PAGE));
            }
        }
    }

    @Test
    void partitionsReadingSideBySideShareOneParseAndEachGetsItsSlice() throws Exception {
        assertThat(parsesReadingSideBySide(101L, 0, 101L, 1))
                .as("parses of the file")
                .isEqualTo(1);
    }

    @Test
    void aPartitionAloneReadsItsSliceAfterGatheringInVain() throws Exception {
        assertThat(read(reader(file(), 1), 102L, Integer.MAX_VALUE).get(30, TimeUnit.SECONDS))
                .containsExactlyElementsOf(expected(1));
    }

    @Test
    void aPartitionThatStopsEarlyDoesNotHoldUpTheOther() throws Exception {
        Path file = file();
        CompletableFuture<List<String>> early = read(reader(file, 0), 103L, 10);
        CompletableFuture<List<String>> whole = read(reader(file, 1), 103L, Integer.MAX_VALUE);
        assertThat(early.get(30, TimeUnit.SECONDS))
                .containsExactlyElementsOf(expected(0).subList(0, 10));
        assertThat(whole.get(30, TimeUnit.SECONDS)).containsExactlyElementsOf(expected(1));
    }

    @Test
    void partitionsOfDifferentExecutionsDoNotShare() throws Exception {
        assertThat(parsesReadingSideBySide(104L, 0, 105L, 0)).isEqualTo(2);
    }

    /** Two readers, each reading its whole slice; returns how many parses of the file they took. */
    private long parsesReadingSideBySide(long job, int partition, long otherJob, int otherPartition) throws Exception {
        Path file = file();
        long before = CsvPages.PARSES.get();
        CompletableFuture<List<String>> one = read(reader(file, partition), job, Integer.MAX_VALUE);
        CompletableFuture<List<String>> other = read(reader(file, otherPartition), otherJob, Integer.MAX_VALUE);
        assertThat(one.get(30, TimeUnit.SECONDS)).containsExactlyElementsOf(expected(partition));
        assertThat(other.get(30, TimeUnit.SECONDS)).containsExactlyElementsOf(expected(otherPartition));
        return CsvPages.PARSES.get() - before;
    }

    @Test
    void outsideAReadingASliceIsReadByAParseOfItsOwn() throws Exception {
        assertThat(read(reader(file(), 0), null, Integer.MAX_VALUE).get(30, TimeUnit.SECONDS))
                .containsExactlyElementsOf(expected(0));
    }

    @Test
    void aParseThatDiesUnexpectedlyFailsTheReadInsteadOfHangingIt() throws Exception {
        Path file = file();
        for (Long job : new Long[] {106L, null}) { // shared, and on its own
            Reading reader = readingId -> new CsvPages<String>(
                    "testCsvReader",
                    file,
                    "id",
                    row -> {
                        throw new AssertionError("the parse dies (an Error, not a rejected row)");
                    },
                    new Partitions.Slice(0, 2),
                    readingId);
            CompletableFuture<List<String>> reading = read(reader, job, Integer.MAX_VALUE);
            assertThat(reading)
                    .failsWithin(30, TimeUnit.SECONDS)
                    .withThrowableThat()
                    .havingRootCause()
                    .withMessageContaining("stopped before its end");
        }
    }
}
