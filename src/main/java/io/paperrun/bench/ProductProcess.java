package io.paperrun.bench;

import io.paperrun.PaperRun;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The product's command line as {@code scripts/paperrun} runs it: each command in a JVM of its own, which starts,
 * builds its Spring context and compiles its code anew, as every scheduled job does. Its JVM gets this JVM's
 * options ({@code scripts/jvm.options}, then {@code PAPERRUN_BENCH_JAVA_OPTS}, as {@code scripts/paperrun} passes
 * {@code PAPERRUN_JAVA_OPTS}) and the product itself: the jar when the benchmark runs from it, else this
 * class path (tests). It works on the benchmark's database, named by {@code SPRING_DATASOURCE_URL} as a server is
 * in production. Its heap is read from its GC log: the most it held, before a collection or at its exit.
 */
final class ProductProcess {

    /** What a command's JVM did with its heap: the most it held, its collections (pauses) and their time. */
    record Heap(long peakBytes, int pauses, double pauseSeconds) {
        static final Heap NONE = new Heap(0, 0, 0);

        Heap max(Heap other) {
            return new Heap(Math.max(peakBytes, other.peakBytes), pauses + other.pauses,
                    pauseSeconds + other.pauseSeconds);
        }
    }

    private static final Pattern PAUSE = Pattern.compile(
            "GC\\(\\d+\\) Pause .*?(\\d+)([KMG])->\\d+[KMG]\\(\\d+[KMG]\\) ([0-9.]+)ms\\s*$");
    private static final Pattern USED = Pattern.compile("\\bused (\\d+)K");

    /** java and its options, before the GC log's. */
    private final List<String> java;
    /** What to run: {@code -jar} and the jar, or {@code -cp}, the class path and the main class. */
    private final List<String> product;
    private final String databaseUrl;
    private final Path work;
    private int launched;

    private ProductProcess(List<String> java, List<String> product, String databaseUrl, Path work) {
        this.java = java;
        this.product = product;
        this.databaseUrl = databaseUrl;
        this.work = work;
    }

    /** Commands on the database of {@code databaseUrl}; their output and GC logs go to {@code work}. */
    static ProductProcess on(String databaseUrl, Path work) {
        List<String> java = new ArrayList<>();
        java.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        java.addAll(jvmOptions());
        String classPath = System.getProperty("java.class.path");
        List<String> product = System.getProperty("loader.main") != null // scripts/bench.sh, from the jar
                ? List.of("-jar", classPath) : List.of("-cp", classPath, PaperRun.class.getName());
        return new ProductProcess(java, product, databaseUrl, work);
    }

    /** This JVM's options, which a command's JVM gets too: all but the launcher's and any GC log of its own. */
    static List<String> jvmOptions() {
        return ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(o -> !o.startsWith("-Dloader.main=") && !o.startsWith("-Xlog") && !o.startsWith("-agent"))
                .toList();
    }

    /** Runs one command, as a user would; fails, with what it printed, unless it exits 0. */
    Heap run(String... args) throws IOException, InterruptedException {
        int n = ++launched;
        Path gcLog = work.resolve("paperrun-" + n + "-gc.log");
        Path out = work.resolve("paperrun-" + n + ".out");
        Path err = work.resolve("paperrun-" + n + ".err");
        List<String> command = new ArrayList<>(java);
        command.add("-Xlog:gc,gc+heap+exit:file=" + gcLog);
        command.addAll(product);
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().keySet().removeIf(k -> k.startsWith("SPRING_DATASOURCE_"));
        builder.environment().put("SPRING_DATASOURCE_URL", databaseUrl);
        int code = builder.start().waitFor();
        if (code != 0) {
            throw new IllegalStateException("paperrun " + String.join(" ", args) + " exited " + code + ":\n"
                    + Files.readString(out) + Files.readString(err));
        }
        return heap(Files.readAllLines(gcLog));
    }

    /**
     * The heap a JVM held at most, from its log of {@code gc} and {@code gc+heap+exit}: a heap grows between
     * collections, so it held the most just before one of them or when it exited.
     */
    static Heap heap(List<String> gcLog) {
        long peak = 0;
        long atExit = 0;
        int pauses = 0;
        double pauseMillis = 0;
        for (String line : gcLog) {
            Matcher pause = PAUSE.matcher(line);
            if (pause.find()) {
                pauses++;
                pauseMillis += Double.parseDouble(pause.group(3));
                peak = Math.max(peak, bytes(Long.parseLong(pause.group(1)), pause.group(2)));
            } else if (line.contains("[gc,heap,exit") && !line.contains("Metaspace") && !line.contains("class space")) {
                Matcher used = USED.matcher(line);
                if (used.find()) {
                    atExit += Long.parseLong(used.group(1)) << 10;
                }
            }
        }
        return new Heap(Math.max(peak, atExit), pauses, pauseMillis / 1e3);
    }

    private static long bytes(long value, String unit) {
        return switch (unit) {
            case "K" -> value << 10;
            case "M" -> value << 20;
            default -> value << 30;
        };
    }
}
