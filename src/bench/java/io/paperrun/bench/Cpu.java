package io.paperrun.bench;

import com.sun.management.OperatingSystemMXBean;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * CPU seconds from /proc (Linux) of this JVM and its reaped children (the product's commands), of the PostgreSQL
 * server in {@code work/data}, of the whole machine, and its steal; NaN elsewhere.
 */
final class Cpu {
    private final Path work;
    private final double tick = 100.0; // USER_HZ, 100 on Linux

    Cpu(Path work) {
        this.work = work;
    }

    /**
     * CPU seconds so far of the JVMs (this one and its reaped children), of this JVM alone, of the PostgreSQL server
     * and of the machine, steal; the server's processes.
     */
    record Sample(double java, double self, double postgres, double machine, double steal, int serverProcesses) {}

    /** A phase's start. */
    Sample sample() {
        return sample(postgres());
    }

    /**
     * A phase's end: waits (up to 2 s) until the server is back to the processes {@code start} saw and its CPU
     * total stops moving, so that the CPU of a command's closing connections is counted (docs/performance.md).
     */
    Sample sampleAfter(Sample start) {
        long deadline = System.nanoTime() + 2_000_000_000L;
        Server server = postgres();
        Server previous = null;
        while (System.nanoTime() < deadline
                && (server.processes() > start.serverProcesses()
                        || previous == null
                        || server.cpu() - previous.cpu() >= 0.02)) {
            pause();
            previous = server;
            server = postgres();
        }
        return sample(server);
    }

    private Sample sample(Server server) {
        double java = ((OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime() / 1e9;
        long[] self = stat(ProcessHandle.current().pid());
        double children = self == null ? Double.NaN : (self[3] + self[4]) / tick;
        double[] machine = machine();
        return new Sample(java + children, java, server.cpu(), machine[0], machine[1], server.processes());
    }

    /** The server's CPU seconds (the postmaster, its children, its collected children) and its children. */
    private record Server(double cpu, int processes) {}

    private static void pause() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private Server postgres() {
        try {
            Path pidFile = work.resolve("data").resolve("postgres").resolve("postmaster.pid");
            long postmaster = Long.parseLong(Files.readAllLines(pidFile).get(0).trim());
            long[] main = stat(postmaster);
            double ticks = main[1] + main[2] + main[3] + main[4];
            int children = 0;
            try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
                for (Path p : (Iterable<Path>) procs::iterator) {
                    String name = p.getFileName().toString();
                    if (!name.chars().allMatch(Character::isDigit)) {
                        continue;
                    }
                    long[] s = stat(Long.parseLong(name));
                    if (s != null && s[0] == postmaster) {
                        ticks += s[1] + s[2];
                        children++;
                    }
                }
            }
            return new Server(ticks / tick, children);
        } catch (Exception e) {
            return new Server(Double.NaN, Integer.MAX_VALUE);
        }
    }

    /** {ppid, utime, stime, cutime, cstime}, or null when the process is gone. */
    private static long[] stat(long pid) {
        try {
            String s = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
            return new long[] {
                Long.parseLong(f[1]),
                Long.parseLong(f[11]),
                Long.parseLong(f[12]),
                Long.parseLong(f[13]),
                Long.parseLong(f[14])
            };
        } catch (Exception e) {
            return null;
        }
    }

    /** {busy, steal}: the machine's busy CPU seconds (steal included) and its steal. */
    private double[] machine() {
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long busy = 0;
            for (int i = 1; i < f.length && i <= 8; i++) {
                if (i != 4 && i != 5) { // not idle, not iowait
                    busy += Long.parseLong(f[i]);
                }
            }
            return new double[] {busy / tick, f.length > 8 ? Long.parseLong(f[8]) / tick : Double.NaN};
        } catch (Exception e) {
            return new double[] {Double.NaN, Double.NaN};
        }
    }

    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException e) {
            return "n/a";
        }
    }
}
