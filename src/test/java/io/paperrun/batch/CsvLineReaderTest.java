package io.paperrun.batch;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.scope.context.StepSynchronizationManager;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.infrastructure.item.ExecutionContext;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The partitions of one step execution read a file through one shared parse, each getting exactly the lines
 * of its slice, in file order, whether the other partitions read along, never come, or stop early.
 */
class CsvLineReaderTest {

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

    private static CsvLineReader<String> reader(Path file, int partition) {
        return new CsvLineReader<String>("testCsvReader", file, "id", row -> row.text("id") + ":" + row.text("n"))
                .slice(new Partitions.Slice(partition, 2));
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

    /** Reads on a thread of its own inside a step of job execution {@code job}, as a partition does. */
    private static CompletableFuture<List<String>> read(CsvLineReader<String> reader, Long job, int upTo) {
        return CompletableFuture.supplyAsync(() -> {
            if (job != null) {
                StepSynchronizationManager.register(new StepExecution("step:partition",
                        new JobExecution(job, new JobInstance(1L, "job"), new JobParameters())));
            }
            List<String> out = new ArrayList<>();
            try {
                reader.open(new ExecutionContext());
                ImportLine<String> line;
                while (out.size() < upTo && (line = reader.read()) != null) {
                    out.add(((ImportLine.Accepted<String>) line).value());
                }
                reader.close();
                return out;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            } finally {
                if (job != null) {
                    StepSynchronizationManager.close();
                }
            }
        });
    }

    @Test
    void partitionsReadingSideBySideShareOneParseAndEachGetsItsSlice() throws Exception {
        assertThat(parsesReadingSideBySide(101L, 0, 101L, 1)).as("parses of the file").isEqualTo(1);
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
        assertThat(early.get(30, TimeUnit.SECONDS)).containsExactlyElementsOf(expected(0).subList(0, 10));
        assertThat(whole.get(30, TimeUnit.SECONDS)).containsExactlyElementsOf(expected(1));
    }

    @Test
    void partitionsOfDifferentExecutionsDoNotShare() throws Exception {
        assertThat(parsesReadingSideBySide(104L, 0, 105L, 0)).isEqualTo(2);
    }

    /** Two readers, each reading its whole slice; returns how many parses of the file they took. */
    private long parsesReadingSideBySide(long job, int partition, long otherJob, int otherPartition)
            throws Exception {
        Path file = file();
        long before = CsvLineReader.PARSES.get();
        CompletableFuture<List<String>> one = read(reader(file, partition), job, Integer.MAX_VALUE);
        CompletableFuture<List<String>> other = read(reader(file, otherPartition), otherJob, Integer.MAX_VALUE);
        assertThat(one.get(30, TimeUnit.SECONDS)).containsExactlyElementsOf(expected(partition));
        assertThat(other.get(30, TimeUnit.SECONDS)).containsExactlyElementsOf(expected(otherPartition));
        return CsvLineReader.PARSES.get() - before;
    }

    @Test
    void outsideAStepASliceIsReadByAParseOfItsOwn() throws Exception {
        assertThat(read(reader(file(), 0), null, Integer.MAX_VALUE).get(30, TimeUnit.SECONDS))
                .containsExactlyElementsOf(expected(0));
    }

    @Test
    void aParseThatDiesUnexpectedlyFailsTheReadInsteadOfHangingIt() throws Exception {
        Path file = file();
        for (Long job : new Long[] {106L, null}) { // shared, and on its own
            CsvLineReader<String> reader = new CsvLineReader<String>("testCsvReader", file, "id", row -> {
                throw new AssertionError("the parse dies (an Error, not a rejected row)");
            }).slice(new Partitions.Slice(0, 2));
            CompletableFuture<List<String>> reading = read(reader, job, Integer.MAX_VALUE);
            assertThat(reading).failsWithin(30, TimeUnit.SECONDS).withThrowableThat()
                    .havingRootCause().withMessageContaining("stopped before its end");
        }
    }
}
