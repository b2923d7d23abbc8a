package io.paperrun.batch;

import java.util.Locale;

/**
 * The checks of the batch settings ({@code paperrun.batch.*} in application.properties, overridden by
 * {@code PAPERRUN_BATCH_*} in the environment), made where a job's steps are built, so that a command started
 * with one it cannot use stops at once, naming the setting and its environment variable.
 */
public final class BatchSettings {

    private BatchSettings() {
    }

    /** {@code paperrun.batch.chunk-size}: items per chunk, at least 1. */
    public static int chunkSize(int value) {
        return atLeastOne("paperrun.batch.chunk-size", value);
    }

    /** {@code paperrun.batch.partitions}: partitions run side by side, at least 1. */
    public static int partitions(int value) {
        return atLeastOne("paperrun.batch.partitions", value);
    }

    /** How a setting is named to the user: {@code paperrun.batch.partitions (PAPERRUN_BATCH_PARTITIONS)}. */
    public static String describe(String setting) {
        return "setting " + setting + " (" + setting.toUpperCase(Locale.ROOT).replaceAll("[.-]", "_") + ")";
    }

    private static int atLeastOne(String setting, int value) {
        if (value < 1) {
            throw new UnusableSettingException(describe(setting) + " must be at least 1, not " + value);
        }
        return value;
    }

    /** A setting the application cannot run with: bad usage, which no restart mends. */
    public static final class UnusableSettingException extends IllegalArgumentException {
        public UnusableSettingException(String message) {
            super(message);
        }
    }
}
