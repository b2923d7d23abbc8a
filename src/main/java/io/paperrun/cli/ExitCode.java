package io.paperrun.cli;

/** The exit codes of the interface spec. */
public final class ExitCode {
    public static final int OK = 0;
    public static final int FAILED = 1;
    public static final int BAD_INPUT = 2;
    public static final int ALREADY_RUNNING = 3;

    private ExitCode() {}
}
