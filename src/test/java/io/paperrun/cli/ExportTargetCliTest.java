package io.paperrun.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.paperrun.support.Cli;
import io.paperrun.support.DatabaseTest;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code export --out} writes a regular file atomically, and anything else (a FIFO, a device, a symbolic link's
 * target) as it is, never replacing it by a regular file; a write that fails never reports success.
 */
class ExportTargetCliTest extends DatabaseTest {

    @TempDir
    Path dir;

    @Test
    void aFifoIsWrittenToAndKept() throws Exception {
        sampleMatchback();
        Path fifo = dir.resolve("attributions.fifo");
        assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor())
                .isZero();
        CompletableFuture<List<String>> reader = CompletableFuture.supplyAsync(() -> {
            try {
                return Files.readAllLines(fifo);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        Cli.Result result = run(0, "export", "attributions", "--org", "acme", "--out", fifo.toString());
        assertThat(result.err()).contains("15 attributions written to " + fifo);
        assertThat(reader.get(60, TimeUnit.SECONDS))
                .hasSize(16)
                .startsWith(exportAttributions().lines().findFirst().orElseThrow());
        assertThat(attributes(fifo).isOther()).as("still a FIFO").isTrue();
        assertThat(dir.resolve("attributions.fifo.partial")).doesNotExist();
    }

    @Test
    void aSymbolicLinksTargetIsWrittenAndTheLinkKept() throws Exception {
        sampleMatchback();
        Path real = Files.writeString(
                Files.createDirectories(dir.resolve("elsewhere")).resolve("real.csv"), "old\n");
        Path link = Files.createSymbolicLink(dir.resolve("attributions.csv"), real);
        run(0, "export", "attributions", "--org", "acme", "--out", link.toString());
        assertThat(Files.isSymbolicLink(link)).isTrue();
        assertThat(Files.readString(real)).isEqualTo(exportAttributions());
        Path dangling = Files.createSymbolicLink(dir.resolve("new.csv"), dir.resolve("elsewhere/new-target.csv"));
        run(0, "export", "attributions", "--org", "acme", "--out", dangling.toString());
        assertThat(Files.isSymbolicLink(dangling)).isTrue();
        assertThat(Files.readString(dir.resolve("elsewhere/new-target.csv"))).isEqualTo(exportAttributions());
    }

    @Test
    void aDeviceThatRefusesTheWriteFailsTheExportAndIsKept() throws Exception {
        sampleMatchback();
        // A device like /dev/full (character device 1,7), made here rather than risking the machine's own.
        Path full = dir.resolve("full");
        Process mknod = new ProcessBuilder("mknod", full.toString(), "c", "1", "7").start();
        assumeThat(mknod.waitFor()).as("mknod needs root").isZero();
        Cli.Result result = run(1, "export", "attributions", "--org", "acme", "--out", full.toString());
        assertThat(result.err().strip())
                .isEqualTo("paperrun export attributions: cannot write " + full + ": No space left on device");
        assertThat(result.err()).doesNotContain("written");
        assertThat(attributes(full).isOther()).as("still a device").isTrue();
    }

    private static BasicFileAttributes attributes(Path path) throws Exception {
        return Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    }
}
