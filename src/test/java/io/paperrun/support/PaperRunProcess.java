package io.paperrun.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The command line as a separate process: {@code java -cp <this test run's class path> io.paperrun.PaperRun args},
 * with only the given environment (none of this JVM's {@code SPRING_*} or {@code PAPERRUN_*}), its output in files.
 */
public record PaperRunProcess(Process process, Path out, Path err) {

    /** How a finished process ended. */
    public record Exit(int code, String out, String err) {}

    /** Starts the command, its output in files under {@code dir}. */
    public static PaperRunProcess start(Path dir, Map<String, String> env, List<String> jvmOptions, String... args)
            throws IOException {
        return start(dir.resolve("stdout-" + System.nanoTime()), dir, env, jvmOptions, args);
    }

    /** Starts the command, its standard output into {@code out}. */
    public static PaperRunProcess start(
            Path out, Path dir, Map<String, String> env, List<String> jvmOptions, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx512m");
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add("io.paperrun.PaperRun");
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().keySet().removeIf(k -> k.startsWith("SPRING_") || k.startsWith("PAPERRUN_"));
        builder.environment().putAll(env);
        Path err = dir.resolve("stderr-" + System.nanoTime());
        builder.redirectOutput(out.toFile()).redirectError(err.toFile());
        return new PaperRunProcess(builder.start(), out, err);
    }

    /** Runs the command to its end (at most two minutes). */
    public static Exit run(Path dir, Map<String, String> env, List<String> jvmOptions, String... args)
            throws IOException, InterruptedException {
        PaperRunProcess started = start(dir, env, jvmOptions, args);
        if (!started.process().waitFor(120, TimeUnit.SECONDS)) {
            started.process().destroyForcibly();
            throw new AssertionError("paperrun " + String.join(" ", args) + " did not finish");
        }
        return started.exit();
    }

    /** How the finished process ended. */
    public Exit exit() throws IOException {
        return new Exit(process.exitValue(), Files.readString(out), Files.readString(err));
    }

    /** Kills the process hard ({@code kill -9}) and waits for it to be gone. */
    public void kill() throws InterruptedException {
        process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }
}
