package io.paperrun.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * scripts/paperrun's unpacked copy of the jar (target/paperrun-app), run as the launcher itself, in a checkout of
 * its own whose jar is a stand-in: the {@code java} it finds first on the PATH is a script that records each call
 * and, asked for Spring Boot's {@code extract}, writes the copy as {@code java -Djarmode=tools} does (or fails, when
 * told to). So this tests the launcher's decisions (when to unpack, what to run, the lock, the fallback) without a
 * packaged application, which the suite, running before {@code package}, does not have.
 */
class LauncherUnpackingTest {

    private static final String FAKE_JAVA = """
            #!/usr/bin/env bash
            # A stand-in for java: records its arguments (one line per call, each followed by '|').
            printf '%s|' "$@" >> "$FAKE_JAVA_LOG"; echo >> "$FAKE_JAVA_LOG"
            if [ "$1" = -Djarmode=tools ]; then
              [ "${FAKE_JAVA_EXTRACT:-}" = fail ] && { echo "extract: no space left" >&2; exit 1; }
              [ "$3" = "$(cd "$(dirname "$0")/../target" && pwd)/paperrun.jar" ] && [ "$4" = extract ] && [ "$5" = --destination ] || exit 9
              mkdir -p "$6/lib" && cp "$3" "$6/paperrun.jar"
              exit 0
            fi
            exit 0
            """;

    @TempDir
    Path dir;

    private Path root;
    private Path jar;
    private Path app;
    private Path log;

    @BeforeEach
    void checkout() throws IOException {
        root = dir.toRealPath().resolve("checkout");
        Files.createDirectories(root.resolve("scripts"));
        Files.copy(Path.of("scripts", "paperrun"), root.resolve("scripts/paperrun"));
        Files.copy(Path.of("scripts", "jvm.options"), root.resolve("scripts/jvm.options"));
        Path bin = Files.createDirectories(root.resolve("bin"));
        Files.writeString(bin.resolve("java"), FAKE_JAVA);
        Files.setPosixFilePermissions(bin.resolve("java"), PosixFilePermissions.fromString("rwxr-xr-x"));
        // Sources older than the jar: the launcher does not build.
        Instant hourAgo = Instant.now().minus(Duration.ofHours(1));
        for (Path source : List.of(
                Files.createDirectories(root.resolve("src/main")),
                Files.createDirectories(root.resolve("sql")),
                Files.writeString(root.resolve("pom.xml"), "<project/>"))) {
            Files.setLastModifiedTime(source, FileTime.from(hourAgo));
        }
        jar = Files.createDirectories(root.resolve("target")).resolve("paperrun.jar");
        app = root.resolve("target/paperrun-app");
        log = dir.resolve("java.log");
        packageJar("build 1", Duration.ofMinutes(30));
    }

    @Test
    void theFirstCommandUnpacksTheJarAndTheNextOnesRunTheCopy() throws Exception {
        List<List<String>> calls = paperrun(Map.of(), "import", "orders", "--file", "orders of may.csv");
        assertThat(calls).hasSize(2);
        assertThat(calls.get(0))
                .containsExactly(
                        "-Djarmode=tools",
                        "-jar",
                        jar.toString(),
                        "extract",
                        "--destination",
                        calls.get(0).get(5));
        assertThat(calls.get(1))
                .containsExactly(
                        "@" + root.resolve("scripts/jvm.options"),
                        "-Xmx64m",
                        "-Dpaperrun.x=a",
                        "-Duser.timezone=UTC",
                        "-jar",
                        app.resolve("paperrun.jar").toString(),
                        "import",
                        "orders",
                        "--file",
                        "orders of may.csv");
        assertThat(app.resolve("paperrun.jar")).hasContent("build 1");
        assertThat(Files.getLastModifiedTime(app.resolve(".unpacked"))).isEqualTo(Files.getLastModifiedTime(jar));
        assertThat(leftInTarget()).containsExactlyInAnyOrder("paperrun.jar", "paperrun-app");

        assertThat(paperrun(Map.of(), "executions")).containsExactly(runs(app.resolve("paperrun.jar"), "executions"));
    }

    @Test
    void aRebuiltJarIsUnpackedAgain() throws Exception {
        paperrun(Map.of(), "executions");
        packageJar("build 2", Duration.ofMinutes(5));

        List<List<String>> calls = paperrun(Map.of(), "executions");
        assertThat(calls).hasSize(2);
        assertThat(calls.get(0)).startsWith("-Djarmode=tools");
        assertThat(calls.get(1)).isEqualTo(runs(app.resolve("paperrun.jar"), "executions"));
        assertThat(app.resolve("paperrun.jar")).hasContent("build 2");
        assertThat(leftInTarget()).containsExactlyInAnyOrder("paperrun.jar", "paperrun-app");
    }

    @Test
    void whenUnpackingFailsTheCommandRunsTheJarAsItIsAndNothingIsLeftBehind() throws Exception {
        List<List<String>> calls = paperrun(Map.of("FAKE_JAVA_EXTRACT", "fail"), "executions");
        assertThat(calls).hasSize(2);
        assertThat(calls.get(0)).startsWith("-Djarmode=tools");
        assertThat(calls.get(1)).isEqualTo(runs(jar, "executions"));
        assertThat(leftInTarget()).containsExactly("paperrun.jar");

        // The next command tries again.
        assertThat(paperrun(Map.of(), "executions"))
                .hasSize(2)
                .last()
                .isEqualTo(runs(app.resolve("paperrun.jar"), "executions"));
    }

    @Test
    void whileAnotherLauncherUnpacksACommandRunsTheJarAsItIs() throws Exception {
        Files.createDirectory(root.resolve("target/.paperrun-app.lock"));

        assertThat(paperrun(Map.of(), "executions")).containsExactly(runs(jar, "executions"));
        assertThat(root.resolve("target/.paperrun-app.lock")).isDirectory();
        assertThat(app).doesNotExist();
    }

    @Test
    void aLockLeftByAKilledLauncherIsTakenOverAfterTwoMinutes() throws Exception {
        Path lock = Files.createDirectory(root.resolve("target/.paperrun-app.lock"));
        Files.setLastModifiedTime(lock, FileTime.from(Instant.now().minus(Duration.ofMinutes(3))));

        List<List<String>> calls = paperrun(Map.of(), "executions");
        assertThat(calls).hasSize(2);
        assertThat(calls.get(1)).isEqualTo(runs(app.resolve("paperrun.jar"), "executions"));
        assertThat(leftInTarget()).containsExactlyInAnyOrder("paperrun.jar", "paperrun-app");
    }

    @Test
    void sourcesNewerThanTheJarAreBuiltFirstThenTheNewJarIsUnpacked() throws Exception {
        paperrun(Map.of(), "executions");
        // A stand-in for the Maven wrapper: packages "build 2".
        Files.writeString(root.resolve("mvnw"), """
                #!/usr/bin/env bash
                echo "mvnw $*" >> "$FAKE_JAVA_LOG.mvnw"; echo "build 2" > target/paperrun.jar
                """);
        Files.setPosixFilePermissions(root.resolve("mvnw"), PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.writeString(root.resolve("src/main/Changed.java"), "class Changed {}");

        List<List<String>> calls = paperrun(Map.of(), "executions");
        assertThat(Path.of(log + ".mvnw")).hasContent("mvnw -q -B -DskipTests package");
        assertThat(calls).hasSize(2);
        assertThat(calls.get(0)).startsWith("-Djarmode=tools");
        assertThat(calls.get(1)).isEqualTo(runs(app.resolve("paperrun.jar"), "executions"));
        assertThat(app.resolve("paperrun.jar")).hasContent("build 2");
    }

    private List<String> runs(Path jarRun, String... args) {
        List<String> call = new ArrayList<>(List.of(
                "@" + root.resolve("scripts/jvm.options"),
                "-Xmx64m",
                "-Dpaperrun.x=a",
                "-Duser.timezone=UTC",
                "-jar",
                jarRun.toString()));
        call.addAll(List.of(args));
        return call;
    }

    private void packageJar(String content, Duration ago) throws IOException {
        Files.writeString(jar, content);
        Files.setLastModifiedTime(jar, FileTime.from(Instant.now().minus(ago)));
    }

    private List<String> leftInTarget() throws IOException {
        try (Stream<Path> files = Files.list(root.resolve("target"))) {
            return files.map(f -> f.getFileName().toString()).toList();
        }
    }

    /** Runs the launcher; returns the calls of java it made, each its arguments. */
    private List<List<String>> paperrun(Map<String, String> env, String... args) throws Exception {
        Files.deleteIfExists(log);
        Files.createFile(log);
        List<String> command =
                new ArrayList<>(List.of("bash", root.resolve("scripts/paperrun").toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("PATH", root.resolve("bin") + ":" + System.getenv("PATH"));
        builder.environment().put("FAKE_JAVA_LOG", log.toString());
        builder.environment().put("PAPERRUN_JAVA_OPTS", "-Xmx64m -Dpaperrun.x=a");
        builder.environment().putAll(env);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        return Files.readAllLines(log).stream()
                .map(line -> List.of(line.substring(0, line.length() - 1).split("\\|", -1)))
                .toList();
    }
}
