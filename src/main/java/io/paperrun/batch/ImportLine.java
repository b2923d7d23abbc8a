package io.paperrun.batch;

/**
 * One line of an input file as a job step carries it from reader to writer:
 * either a value the writer stores, or a rejection it records (file, line, reason).
 * A provider's record has no line of its own (0) until the reader numbers it.
 */
public sealed interface ImportLine<T> {

    long line();

    /** This line, numbered {@code number}. */
    ImportLine<T> at(long number);

    record Accepted<T>(long line, T value) implements ImportLine<T> {
        @Override
        public ImportLine<T> at(long number) {
            return new Accepted<>(number, value);
        }
    }

    record Rejected<T>(long line, String recordId, String reason, String raw) implements ImportLine<T> {
        @Override
        public ImportLine<T> at(long number) {
            return new Rejected<>(number, recordId, reason, raw);
        }
    }
}
