package io.paperrun.support;

import io.paperrun.database.EmbeddedDatabase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The one embedded PostgreSQL of a test run: started on first use, shared by
 * every test (each cleans the tables it needs), stopped when the JVM exits.
 * Thrown away afterwards, so not durable: commits need not reach the disk.
 */
public final class TestDatabase {

    private static EmbeddedDatabase database;

    private TestDatabase() {}

    public static synchronized String jdbcUrl() {
        if (database == null) {
            try {
                Path dir = Files.createTempDirectory("paperrun-test-db");
                database = EmbeddedDatabase.start(dir, EmbeddedDatabase.Durability.THROWAWAY);
                // Stopped and removed when the test run ends: each run's server is its own (40-60 MiB).
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    try {
                        database.close();
                    } catch (IOException ignored) {
                        // The JVM is exiting.
                    }
                    try (Stream<Path> files = Files.walk(dir)) {
                        files.sorted(Comparator.reverseOrder())
                                .forEach(f -> f.toFile().delete());
                    } catch (IOException | UncheckedIOException ignored) {
                        // What is left is in the system's temporary directory.
                    }
                }));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return database.jdbcUrl();
    }
}
