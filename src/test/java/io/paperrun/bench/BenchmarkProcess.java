package io.paperrun.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code scripts/bench.sh} as the tests run it: {@code java -Xmx512m OPTIONS -Djava.io.tmpdir=DIR -cp (this class
 * path) AttributionBenchmark ARGS}, in a process of its own with none of this JVM's {@code SPRING_*} or
 * {@code PAPERRUN_*} variables, its output in {@code dir}.
 */
final class BenchmarkProcess {

    private BenchmarkProcess() {}

    /** Runs the benchmark to its end within {@code timeout}; fails unless it exits 0; returns what it printed. */
    static String run(Path dir, Duration timeout, List<String> jvmOptions, String... args)
            throws IOException, InterruptedException {
        Path out = dir.resolve("stdout");
        Path err = dir.resolve("stderr");
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx512m");
        command.addAll(jvmOptions);
        command.add("-Djava.io.tmpdir=" + dir);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(AttributionBenchmark.class.getName());
        command.addAll(List.of(args));
        ProcessBuilder builder =
                new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().keySet().removeIf(k -> k.startsWith("SPRING_") || k.startsWith("PAPERRUN_"));
        Process process = builder.start();
        if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the benchmark did not finish");
        }
        String printed = Files.readString(out);
        assertThat(process.exitValue()).as(printed + Files.readString(err)).isZero();
        return printed;
    }
}
