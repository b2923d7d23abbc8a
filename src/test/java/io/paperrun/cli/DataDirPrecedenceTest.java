package io.paperrun.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.paperrun.PaperRun;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * "the embedded PostgreSQL whose files live in the data directory: {@code --data-dir DIR}, else
 * {@code $PAPERRUN_DATA_DIR}, else {@code ./data}": the option wins over the environment variable.
 */
class DataDirPrecedenceTest {

    @TempDir
    Path dir;

    @Test
    void dataDirOptionWinsOverPaperrunDataDirEnvironmentVariable() {
        Map<String, String> env = Map.of("PAPERRUN_DATA_DIR", "/from/env");
        assertThat(dataDirOpened(env, "--data-dir", "/from/option", "executions"))
                .isEqualTo(Path.of("/from/option"));
        // The option is inherited by every command: it may follow the command's name too.
        assertThat(dataDirOpened(env, "executions", "--data-dir", "/from/option"))
                .isEqualTo(Path.of("/from/option"));
        assertThat(dataDirOpened(env, "executions")).isEqualTo(Path.of("/from/env"));
        assertThat(dataDirOpened(Map.of(), "executions")).isEqualTo(Path.of("data"));
    }

    @Test
    void aDataDirectoryMayHaveTheNameOfACommand() {
        assertThat(dataDirOpened(Map.of(), "--data-dir", "run", "executions")).isEqualTo(Path.of("run"));
        assertThat(dataDirOpened(Map.of(), "executions", "--data-dir", "import"))
                .isEqualTo(Path.of("import"));
    }

    @Test
    void aDataDirGivenWithAServerIsSaidToBeUnused() {
        AtomicReference<Path> opened = new AtomicReference<>();
        StringWriter err = new StringWriter();
        new PaperRun(
                        Map.of("SPRING_DATASOURCE_URL", "jdbc:postgresql://db.example/paperrun"),
                        (dataDir, env) -> {
                            opened.set(dataDir);
                            throw new IllegalStateException("no database in this test");
                        },
                        new PrintWriter(new StringWriter(), true),
                        new PrintWriter(err, true))
                .execute("--data-dir", "/from/option", "executions");
        assertThat(err.toString())
                .startsWith("paperrun: --data-dir /from/option is not used: SPRING_DATASOURCE_URL names the database");
        assertThat(dataDirOpened(Map.of(), "--data-dir", "/from/option", "executions"))
                .isEqualTo(Path.of("/from/option"));
    }

    /** The real launcher in a process of its own, with both given: the embedded database is the option's. */
    @Test
    void dataDirOptionWinsOverPaperrunDataDirInARealProcess() throws Exception {
        Path option = dir.resolve("option");
        Path environment = dir.resolve("environment");
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m",
                "-cp",
                System.getProperty("java.class.path"),
                "io.paperrun.PaperRun",
                "--data-dir",
                option.toString(),
                "apply",
                "-f",
                "jobs-config/examples/acme.yaml"));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().keySet().removeIf(k -> k.startsWith("SPRING_") || k.startsWith("PAPERRUN_"));
        builder.environment().put("PAPERRUN_DATA_DIR", environment.toString());
        Path out = dir.resolve("stdout");
        Path err = dir.resolve("stderr");
        Process process =
                builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("paperrun did not finish");
        }
        assertThat(process.exitValue()).as(read(err)).isZero();
        assertThat(read(out)).contains("organization acme: created");
        assertThat(option.resolve("postgres/PG_VERSION")).exists();
        assertThat(environment).doesNotExist();
    }

    /** The data directory the command line opened its session on (the session itself is not opened). */
    private static Path dataDirOpened(Map<String, String> environment, String... args) {
        AtomicReference<Path> opened = new AtomicReference<>();
        Session.Opener opener = (dataDir, env) -> {
            opened.set(dataDir);
            throw new IllegalStateException("no database in this test");
        };
        StringWriter err = new StringWriter();
        int code = new PaperRun(
                        environment, opener, new PrintWriter(new StringWriter(), true), new PrintWriter(err, true))
                .execute(args);
        assertThat(err.toString()).contains("no database in this test");
        assertThat(code).isEqualTo(ExitCode.FAILED);
        return opened.get();
    }

    private static String read(Path file) throws IOException {
        return Files.readString(file);
    }
}
