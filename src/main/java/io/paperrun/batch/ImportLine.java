package io.paperrun.batch;

/**
 * One line of an input file as a job step carries it from reader to writer:
 * either a value the writer stores, or a rejection it records (file, line, reason).
 */
public sealed interface ImportLine<T> {

    long line();

    record Accepted<T>(long line, T value) implements ImportLine<T> {}

    record Rejected<T>(long line, String recordId, String reason, String raw) implements ImportLine<T> {}
}
