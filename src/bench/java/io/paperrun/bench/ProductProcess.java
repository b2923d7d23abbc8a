package io.paperrun.bench;

import io.paperrun.PaperRun;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The product's command line on the benchmark's database ({@code SPRING_DATASOURCE_URL}), each command in a JVM of
 * its own: {@code scripts/paperrun} from {@code scripts/bench.sh}, else {@code java} on this class path; a command's
 * heap is read from its GC log.
 */
final class ProductProcess {

    /**
     * What a command's JVM did with its heap: the most it held, the most it kept after a collection, its collections
     * (pauses) and their time.
     */
    record Heap(long peakBytes, long mostAfterCollection, int pauses, double pauseSeconds) {
        static final Heap NONE = new Heap(0, 0, 0, 0);

        Heap max(Heap other) {
            return new Heap(
                    Math.max(peakBytes, other.peakBytes),
                    Math.max(mostAfterCollection, other.mostAfterCollection),
                    pauses + other.pauses,
                    pauseSeconds + other.pauseSeconds);
        }
    }

    private static final Pattern PAUSE =
            Pattern.compile("GC\\(\\d+\\) Pause .*?(\\d+)([KMG])->(\\d+)([KMG])\\(\\d+[KMG]\\) ([0-9.]+)ms\\s*$");
    private static final Pattern USED = Pattern.compile("\\bused (\\d+)K");

    /**
     * The launcher, {@code scripts/paperrun}, when the benchmark runs from {@code scripts/bench.sh}; else (tests)
     * null, and the command runs as {@code java}, this JVM's options, {@code -cp}, this class path and the main
     * class.
     */
    private final Path launcher;
    /** The commands' JVM options: PAPERRUN_JAVA_OPTS for the launcher, else this JVM's options. */
    private final List<String> jvmOptions;

    private final String databaseUrl;
    private final Path work;
    private int launched;
    /** The last command {@link #run} ran, for {@link #lastOutput}. */
    private Launched last;

    private ProductProcess(Path launcher, List<String> jvmOptions, String databaseUrl, Path work) {
        this.launcher = launcher;
        this.jvmOptions = jvmOptions;
        this.databaseUrl = databaseUrl;
        this.work = work;
    }

    /**
     * Commands on the database of {@code databaseUrl}; their output and GC logs go to {@code work}.
     * {@code scripts/bench.sh} names the launcher ({@code -Dpaperrun.bench.launcher}) and the commands' JVM
     * options ({@code -Dpaperrun.bench.java-opts}, its PAPERRUN_BENCH_JAVA_OPTS).
     */
    static ProductProcess on(String databaseUrl, Path work) {
        String launcher = System.getProperty("paperrun.bench.launcher");
        if (launcher != null) {
            return new ProductProcess(
                    Path.of(launcher),
                    List.of(System.getProperty("paperrun.bench.java-opts", "-Xmx1g")
                            .trim()
                            .split("\\s+")),
                    databaseUrl,
                    work);
        }
        List<String> options = ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(o -> !o.startsWith("-agent"))
                .toList();
        return new ProductProcess(null, options, databaseUrl, work);
    }

    /** How the commands run, for the report. */
    String describe() {
        return launcher != null
                ? "scripts/paperrun with PAPERRUN_JAVA_OPTS=" + String.join(" ", jvmOptions)
                        + " (after scripts/jvm.options)"
                : "java " + String.join(" ", jvmOptions) + " -cp (this class path) " + PaperRun.class.getName();
    }

    /** Runs one command, as a user would; fails, with what it printed, unless it exits 0. */
    Heap run(String... args) throws IOException, InterruptedException {
        return run(Map.of(), args);
    }

    /** {@link #run(String...)} with these variables added to the command's environment (a secret, say). */
    Heap run(Map<String, String> environment, String... args) throws IOException, InterruptedException {
        Launched command = launch(environment, args);
        last = command;
        int code = command.process().waitFor();
        if (code != 0) {
            throw new IllegalStateException("paperrun " + String.join(" ", args) + " exited " + code + ":\n"
                    + Files.readString(command.out()) + Files.readString(command.err()));
        }
        return heap(Files.readAllLines(command.gcLog()));
    }

    /**
     * Starts a long-running command ({@code paperrun worker}), with these variables added to its environment; it
     * runs until {@link Running#stop}. Its output is its own, not {@link #lastOutput}.
     */
    Running start(Map<String, String> environment, String... args) throws IOException {
        return new Running(launch(environment, args), String.join(" ", args));
    }

    /** A command started: its process, its stdout, stderr and GC log. */
    private record Launched(Process process, Path out, Path err, Path gcLog) {}

    private Launched launch(Map<String, String> environment, String... args) throws IOException {
        int n = ++launched;
        Path gcLog = work.resolve("paperrun-" + n + "-gc.log");
        Path out = work.resolve("paperrun-" + n + ".out");
        Path err = work.resolve("paperrun-" + n + ".err");
        List<String> options = new ArrayList<>(jvmOptions);
        options.add("-Xlog:gc,gc+heap+exit:file=" + gcLog);
        List<String> command = new ArrayList<>();
        if (launcher != null) {
            command.add(launcher.toString());
        } else {
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.addAll(options);
            command.addAll(List.of("-cp", System.getProperty("java.class.path"), PaperRun.class.getName()));
        }
        command.addAll(List.of(args));
        ProcessBuilder builder =
                new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        // The benchmark's database; and partitions in the command's own process unless the benchmark names a
        // broker itself: a PAPERRUN_BROKER_URL of the shell would send them to whatever workers it has.
        builder.environment()
                .keySet()
                .removeIf(k -> k.startsWith("SPRING_DATASOURCE_") || k.startsWith("PAPERRUN_BROKER_"));
        builder.environment().put("SPRING_DATASOURCE_URL", databaseUrl);
        builder.environment().putAll(environment);
        if (launcher != null) {
            builder.environment().put("PAPERRUN_JAVA_OPTS", String.join(" ", options));
        }
        return new Launched(builder.start(), out, err, gcLog);
    }

    /**
     * A long-running command: awaited until it says it is ready, stopped by SIGTERM (scripts/paperrun execs its
     * JVM, so the signal reaches the command itself).
     */
    static final class Running implements AutoCloseable {
        private final Launched launched;
        private final String name;

        private Running(Launched launched, String name) {
            this.launched = launched;
            this.name = name;
        }

        /** Waits until the command's stdout holds {@code text}; fails if it exits first or takes longer. */
        void awaitOutput(String text, Duration patience) throws IOException, InterruptedException {
            long deadline = System.nanoTime() + patience.toNanos();
            while (!Files.readString(launched.out()).contains(text)) {
                if (!launched.process().isAlive()) {
                    throw new IllegalStateException("paperrun " + name + " exited "
                            + launched.process().exitValue() + " before it said '" + text + "':\n" + output());
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(
                            "paperrun " + name + " did not say '" + text + "' within " + patience + ":\n" + output());
                }
                Thread.sleep(50);
            }
        }

        /** The CPU seconds the command's process has used so far, NaN where the system does not say. */
        double cpuSeconds() {
            return launched.process()
                    .info()
                    .totalCpuDuration()
                    .map(d -> d.toNanos() / 1e9)
                    .orElse(Double.NaN);
        }

        /**
         * Sends SIGTERM and waits for the command to end (killing it after {@code patience}); returns its exit
         * code.
         */
        int stop(Duration patience) throws InterruptedException {
            launched.process().destroy();
            if (!launched.process().waitFor(patience.toMillis(), TimeUnit.MILLISECONDS)) {
                launched.process().destroyForcibly().waitFor(30, TimeUnit.SECONDS);
                throw new IllegalStateException(
                        "paperrun " + name + " did not stop within " + patience + " of SIGTERM: killed");
            }
            return launched.process().exitValue();
        }

        /** Its heap, once it has stopped. */
        Heap heap() throws IOException {
            return ProductProcess.heap(Files.readAllLines(launched.gcLog()));
        }

        /** What it printed on stdout so far. */
        String out() throws IOException {
            return Files.readString(launched.out());
        }

        /** What it printed on stderr so far. */
        String err() throws IOException {
            return Files.readString(launched.err());
        }

        private String output() throws IOException {
            return out() + err();
        }

        /** Kills the command if it still runs (the benchmark failed before it stopped it). */
        @Override
        public void close() throws InterruptedException {
            if (launched.process().isAlive()) {
                launched.process().destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
        }
    }

    /** What the last command printed on stdout. */
    String lastOutput() throws IOException {
        return Files.readString(last.out());
    }

    /** What the last command printed on stderr. */
    String lastErrors() throws IOException {
        return Files.readString(last.err());
    }

    /**
     * The heap a JVM held at most, from its log of {@code gc} and {@code gc+heap+exit}: a heap grows between
     * collections, so it held the most just before one of them or when it exited; and the most a collection left.
     */
    static Heap heap(List<String> gcLog) {
        long peak = 0;
        long kept = 0;
        long atExit = 0;
        int pauses = 0;
        double pauseMillis = 0;
        for (String line : gcLog) {
            Matcher pause = PAUSE.matcher(line);
            if (pause.find()) {
                pauses++;
                pauseMillis += Double.parseDouble(pause.group(5));
                peak = Math.max(peak, bytes(Long.parseLong(pause.group(1)), pause.group(2)));
                kept = Math.max(kept, bytes(Long.parseLong(pause.group(3)), pause.group(4)));
            } else if (line.contains("[gc,heap,exit") && !line.contains("Metaspace") && !line.contains("class space")) {
                Matcher used = USED.matcher(line);
                if (used.find()) {
                    atExit += Long.parseLong(used.group(1)) << 10;
                }
            }
        }
        return new Heap(Math.max(peak, atExit), kept, pauses, pauseMillis / 1e3);
    }

    private static long bytes(long value, String unit) {
        return switch (unit) {
            case "K" -> value << 10;
            case "M" -> value << 20;
            default -> value << 30;
        };
    }
}
