package io.paperrun.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * scripts/jvm.options, the JVM options every launch passes to java before the user's: both launchers pass it,
 * and this JVM starts the command line with it (an option it refused would fail every command).
 */
class LauncherOptionsTest {

    private static final Path OPTIONS = Path.of("scripts", "jvm.options");

    @TempDir
    Path dir;

    @Test
    void bothLaunchersPassTheOptionsFileBeforeTheUsersOptions() throws Exception {
        String launcher = Files.readString(Path.of("scripts", "paperrun"));
        assertThat(launcher)
                .contains("java_opts=(@\"$root/scripts/jvm.options\")\n")
                .contains("java_opts+=(${PAPERRUN_JAVA_OPTS:--Xmx1g} -Duser.timezone=UTC)\n");
        // Every java it runs the product with (the jar as it is, or unpacked) gets them.
        assertThat(launcher.lines().map(String::strip).filter(l -> l.startsWith("exec java ")))
                .hasSize(2)
                .allMatch(l -> l.startsWith("exec java \"${java_opts[@]}\" "));
        assertThat(Files.readString(Path.of("scripts", "bench.sh")))
                .contains("exec java @\"$root/scripts/jvm.options\" ${PAPERRUN_BENCH_JAVA_OPTS:--Xmx1g}");
    }

    @Test
    void theJvmStartsTheCommandLineWithThem() throws Exception {
        assertThat(Files.readAllLines(OPTIONS).stream().filter(l -> l.startsWith("-")))
                .isNotEmpty();
        Path out = dir.resolve("out");
        Path err = dir.resolve("err");
        Process process = new ProcessBuilder(List.of(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "@" + OPTIONS.toAbsolutePath(),
                        "-XX:+PrintFlagsFinal",
                        "-cp",
                        System.getProperty("java.class.path"),
                        "io.paperrun.PaperRun",
                        "--help"))
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String printed = Files.readString(out);
        assertThat(process.exitValue()).as(printed + Files.readString(err)).isZero();
        assertThat(printed).contains("Usage: paperrun");
        // The file's options are in force.
        for (String option : Files.readAllLines(OPTIONS)) {
            if (option.startsWith("-XX:") && option.contains("=")) {
                String[] nameValue = option.substring(4).split("=", 2);
                assertThat(printed).containsPattern("\\b" + nameValue[0] + "\\s+=\\s+" + nameValue[1] + "\\s");
            }
        }
    }
}
