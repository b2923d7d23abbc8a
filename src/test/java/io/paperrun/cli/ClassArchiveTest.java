package io.paperrun.cli;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class ClassArchiveTest {

    @TempDir
    Path dir;

    private PrintStream original;
    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
    private PrintStream stdout;

    @BeforeEach
    void captureStdout() {
        original = System.out;
        stdout = new PrintStream(printed, true);
        System.setOut(stdout);
    }

    @AfterEach
    void restoreStdout() {
        System.setOut(original);
    }

    @Test
    void theDumpIsMovedIntoPlaceWholeAndWhatTheJdkPrintsMeanwhileStaysOffStdout() throws Exception {
        Path archive = dir.resolve("paperrun.jsa");
        ClassArchive.record(archive, file -> {
            assertThat(file).isNotEqualTo(archive); // written beside it, not in place
            assertThat(file.getParent()).isEqualTo(dir);
            assertThat(archive).doesNotExist();
            System.out.println(" Dynamic dump to file " + file);
            Files.writeString(file, "archive");
        });
        assertThat(archive).hasContent("archive");
        assertThat(Files.list(dir)).containsExactly(archive);
        assertThat(printed.toString()).isEmpty();
        assertThat(System.out).isSameAs(stdout);
    }

    @Test
    void aFailedDumpLeavesNoArchiveAndNoPartOfOneAndTheCommandGoesOn() throws Exception {
        Path archive = dir.resolve("paperrun.jsa");
        ClassArchive.record(archive, file -> {
            Files.writeString(file, "half an archive");
            throw new IllegalStateException("disk full");
        });
        ClassArchive.record(archive, file -> {
            // The JVM reports a dump it cannot make (no -XX:+RecordDynamicDumpInfo) in its output, no file.
        });
        assertThat(Files.list(dir)).isEmpty();
        assertThat(System.out).isSameAs(stdout);
    }

    @Test
    void theJvmsDumpWithoutRecordDynamicDumpInfoRecordsNothingAndThrowsNothing() throws Exception {
        Path archive = dir.resolve("paperrun.jsa");
        System.setProperty(ClassArchive.PROPERTY, archive.toString());
        try {
            ClassArchive.recordIfAsked();
        } finally {
            System.clearProperty(ClassArchive.PROPERTY);
        }
        assertThat(Files.list(dir)).isEmpty();
        assertThat(printed.toString()).isEmpty();
    }
}
