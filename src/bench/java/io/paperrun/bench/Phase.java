package io.paperrun.bench;

/** Wall time and CPU time (this JVM and its commands, PostgreSQL, the rest of the machine, steal) of one phase. */
final class Phase {
    final String name;
    private final Cpu cpu;
    private final long start;
    private final Cpu.Sample cpuStart;
    double seconds;
    double javaCpu;
    /** Of {@link #javaCpu}, this JVM's own (the rest: the product's commands). */
    double benchCpu;

    double pgCpu;
    double otherCpu;
    double steal;

    Phase(String name, Cpu cpu) {
        this.name = name;
        this.cpu = cpu;
        this.cpuStart = cpu == null ? null : cpu.sample();
        this.start = System.nanoTime();
    }

    void end() {
        seconds = (System.nanoTime() - start) / 1e9;
        Cpu.Sample now = cpu.sampleAfter(cpuStart);
        javaCpu = now.java() - cpuStart.java();
        benchCpu = now.self() - cpuStart.self();
        pgCpu = now.postgres() - cpuStart.postgres();
        steal = now.steal() - cpuStart.steal();
        otherCpu = Math.max(0, now.machine() - cpuStart.machine() - javaCpu - pgCpu - steal);
    }

    static Phase sum(String name, Phase a, Phase b) {
        Phase p = new Phase(name, null);
        p.seconds = a.seconds + b.seconds;
        p.javaCpu = a.javaCpu + b.javaCpu;
        p.benchCpu = a.benchCpu + b.benchCpu;
        p.pgCpu = a.pgCpu + b.pgCpu;
        p.otherCpu = a.otherCpu + b.otherCpu;
        p.steal = a.steal + b.steal;
        return p;
    }
}
