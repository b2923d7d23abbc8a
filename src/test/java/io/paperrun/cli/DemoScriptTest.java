package io.paperrun.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code scripts/demo.sh DIR} empties DIR only when a previous demo made it: the script runs for real, with a
 * stand-in for the paperrun launcher that writes the export it is asked for.
 */
class DemoScriptTest {

    @TempDir
    Path dir;

    record Exit(int code, String out, String err) {}

    @Test
    void aDirectoryWithOtherFilesIsRefusedInOneLineAndKept() throws Exception {
        Path home = Files.createDirectories(dir.resolve("home"));
        Files.writeString(home.resolve("thesis.tex"), "years of work");
        Exit exit = demo(home);
        assertThat(exit.code()).isEqualTo(2);
        assertThat(exit.err().strip())
                .isEqualTo("demo.sh: refusing to use " + home + ": it is not empty and holds "
                        + "no previous demo's data (no .paperrun-demo file); give a new or empty directory");
        assertThat(home.resolve("thesis.tex")).hasContent("years of work");
        assertThat(exit.out()).isEmpty(); // nothing ran
    }

    @Test
    void aMarkedDirectoryThatHoldsMoreThanADemosDataIsRefusedAndKept() throws Exception {
        Path data = previousDemo(dir.resolve("data"));
        Files.writeString(data.resolve("notes.txt"), "mine");
        Exit exit = demo(data);
        assertThat(exit.code()).isEqualTo(2);
        assertThat(exit.err()).contains("it holds more than a previous demo's data: notes.txt");
        assertThat(data.resolve("notes.txt")).exists();
        assertThat(data.resolve("postgres/PG_VERSION")).exists();
    }

    @Test
    void aFileOrASymbolicLinkIsRefused() throws Exception {
        Path file = Files.writeString(dir.resolve("file"), "x");
        assertThat(demo(file).err()).contains("not a directory");
        assertThat(file).hasContent("x");
        Path target = previousDemo(dir.resolve("target"));
        Path link = Files.createSymbolicLink(dir.resolve("link"), target);
        assertThat(demo(link).err()).contains("a symbolic link");
        assertThat(target.resolve("postgres/PG_VERSION")).exists();
    }

    @Test
    void aPreviousDemosDataIsReplacedAndANewDirectoryIsMarked() throws Exception {
        Path data = previousDemo(dir.resolve("data"));
        Exit again = demo(data);
        assertThat(again.code()).as(again.err()).isZero();
        assertThat(data.resolve("postgres/PG_VERSION")).doesNotExist(); // the old database went
        assertThat(data.resolve(".paperrun-demo")).exists();
        assertThat(again.out()).contains("== paperrun run attribution-processing");

        Path fresh = dir.resolve("fresh");
        assertThat(demo(fresh).code()).isZero();
        assertThat(fresh.resolve(".paperrun-demo")).exists();
        Path empty = Files.createDirectories(dir.resolve("empty"));
        assertThat(demo(empty).code()).isZero();
    }

    private static Path previousDemo(Path data) throws IOException {
        Files.createDirectories(data.resolve("postgres"));
        Files.writeString(data.resolve("postgres/PG_VERSION"), "18");
        Files.writeString(data.resolve(".paperrun-demo"), "marker");
        Files.writeString(data.resolve("paperrun.lock"), "pid 1");
        Files.writeString(data.resolve("attributions.csv"), "old");
        return data;
    }

    private Exit demo(Path data) throws Exception {
        Path launcher = dir.resolve("paperrun-stand-in");
        Files.writeString(launcher, """
                #!/usr/bin/env bash
                # Writes the file an export is asked for, as paperrun would; every other command does nothing.
                while [[ $# -gt 0 ]]; do
                  if [[ "$1" == --out ]]; then echo "order_id" > "$2"; fi
                  shift
                done
                """);
        Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwx------"));
        ProcessBuilder builder = new ProcessBuilder("bash", "scripts/demo.sh", data.toString());
        builder.environment().put("PAPERRUN_DEMO_LAUNCHER", launcher.toString());
        Path out = dir.resolve("out-" + System.nanoTime());
        Path err = dir.resolve("err-" + System.nanoTime());
        Process process =
                builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Exit(process.exitValue(), Files.readString(out), Files.readString(err));
    }
}
