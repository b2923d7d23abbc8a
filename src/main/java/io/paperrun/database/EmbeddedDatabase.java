package io.paperrun.database;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The PostgreSQL that PaperRun starts for itself when no database is configured:
 * real PostgreSQL binaries, files kept in the data directory between runs,
 * listening on loopback only, for the life of this process.
 */
public final class EmbeddedDatabase implements AutoCloseable {

    private final DataDirectory dataDirectory;
    private final EmbeddedPostgres postgres;

    private EmbeddedDatabase(DataDirectory dataDirectory, EmbeddedPostgres postgres) {
        this.dataDirectory = dataDirectory;
        this.postgres = postgres;
    }

    /** Locks the data directory, then starts (and on first use, initialises) PostgreSQL in it. */
    public static EmbeddedDatabase start(Path dataDir) throws IOException {
        DataDirectory dir = DataDirectory.lock(dataDir);
        try {
            Path files = dir.postgresFiles();
            Files.createDirectories(files);
            // A process killed hard leaves postmaster.pid behind; we hold the directory lock, so it is stale.
            Files.deleteIfExists(files.resolve("postmaster.pid"));
            EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                    .setDataDirectory(files)
                    .setCleanDataDirectory(false)
                    .setServerConfig("listen_addresses", "127.0.0.1")
                    .setServerConfig("max_connections", "50")
                    .setServerConfig("shared_buffers", "256MB")
                    .setServerConfig("work_mem", "32MB")
                    .setServerConfig("maintenance_work_mem", "128MB")
                    .setServerConfig("max_wal_size", "2GB")
                    .setServerConfig("timezone", "UTC")
                    .start();
            return new EmbeddedDatabase(dir, postgres);
        } catch (IOException | RuntimeException e) {
            dir.close();
            throw e;
        }
    }

    /** Spring Boot datasource properties that point at this database. */
    public Map<String, Object> datasourceProperties() {
        return Map.of(
                "spring.datasource.url", postgres.getJdbcUrl("postgres", "postgres"),
                "spring.datasource.username", "postgres",
                "spring.datasource.password", "");
    }

    public String jdbcUrl() {
        return postgres.getJdbcUrl("postgres", "postgres");
    }

    public Path dataDirectory() {
        return dataDirectory.path();
    }

    @Override
    public void close() throws IOException {
        try {
            postgres.close();
        } finally {
            dataDirectory.close();
        }
    }
}
