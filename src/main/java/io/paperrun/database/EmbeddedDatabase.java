package io.paperrun.database;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The PostgreSQL that PaperRun starts for itself when no database is configured:
 * real PostgreSQL binaries, files kept in the data directory between runs,
 * listening on loopback only, for the life of this process.
 */
public final class EmbeddedDatabase implements AutoCloseable {

    /** How long, once the JVM is asked to stop, the server waits for its owner to close it (a job to stop). */
    static final Duration OWNER_GRACE = Duration.ofSeconds(60);

    private final DataDirectory dataDirectory;
    /** Set once the server has started. */
    private volatile EmbeddedPostgres postgres;

    private final CountDownLatch started = new CountDownLatch(1);
    private final CountDownLatch closed = new CountDownLatch(1);
    private final AtomicBoolean closing = new AtomicBoolean();
    private final Thread shutdownHook = new Thread(this::stopWithTheJvm, "paperrun-embedded-postgres-stop");

    private EmbeddedDatabase(DataDirectory dataDirectory) {
        this.dataDirectory = dataDirectory;
    }

    /**
     * Whether a commit survives a crash of the machine. The embedded PostgreSQL's own launcher turns both of
     * PostgreSQL's guarantees off ({@code -F}, that is {@code fsync = off}, and {@code synchronous_commit = off}):
     * right for a database thrown away after a test run, wrong for a merchant's data kept between runs, where
     * {@code fsync = off} can leave the whole database corrupt after a power cut.
     */
    public enum Durability {
        /** PostgreSQL's defaults, as on a production server: {@code fsync} and {@code synchronous_commit} on. */
        DURABLE,
        /** Neither: for databases nobody keeps (the test suite's). */
        THROWAWAY
    }

    /**
     * Locks the data directory, then starts (and on first use, initialises) PostgreSQL in it, durable
     * ({@link Durability#DURABLE}).
     */
    public static EmbeddedDatabase start(Path dataDir) throws IOException {
        return start(dataDir, Durability.DURABLE);
    }

    /**
     * Locks the data directory, then starts (and on first use, initialises) PostgreSQL in it. Not the library's
     * shutdown hook, which stops the server as soon as the JVM is asked to stop (SIGTERM): a running job, which
     * stops at its next chunk boundary then (its own hook), failed on its connections and printed hundreds of
     * lines. Ours ({@link #stopWithTheJvm}) waits for the owner; it is in place before the server starts.
     */
    public static EmbeddedDatabase start(Path dataDir, Durability durability) throws IOException {
        EmbeddedDatabase database = new EmbeddedDatabase(DataDirectory.lock(dataDir));
        Path files = database.dataDirectory.postgresFiles();
        try {
            Runtime.getRuntime().addShutdownHook(database.shutdownHook);
            Files.createDirectories(files);
            stopOrphanedServer(files);
            database.postgres = EmbeddedPostgres.builder()
                    .setDataDirectory(files)
                    .setCleanDataDirectory(false)
                    .setServerConfig("listen_addresses", "127.0.0.1")
                    .setServerConfig("max_connections", "50")
                    .setServerConfig("shared_buffers", "1GB")
                    .setServerConfig("work_mem", "32MB")
                    .setServerConfig("maintenance_work_mem", "128MB")
                    .setServerConfig("max_wal_size", "2GB")
                    .setServerConfig("timezone", "UTC")
                    // Its files are on the local disk and mostly in memory: an index probe costs about what a
                    // page of a scan does. With the default (4), stage B's history of 2,000 recipients was
                    // read by scanning every attribution rather than by 2,000 probes of its index.
                    .setServerConfig("random_page_cost", "1.1")
                    // After the launcher's -F, so these win.
                    .setServerConfig("fsync", durability == Durability.DURABLE ? "on" : "off")
                    .setServerConfig("synchronous_commit", durability == Durability.DURABLE ? "on" : "off")
                    .setRegisterShutdownHook(false)
                    .start();
            return database;
        } catch (IOException | RuntimeException e) {
            database.close(); // also stops a server that started but was not ready in time
            throw e;
        } finally {
            database.started.countDown();
        }
    }

    /**
     * When the JVM is asked to stop (SIGTERM, SIGINT to it alone, {@code System.exit}): waits for the start to
     * end, then for the owner, whose running job stops at its next chunk boundary and who then closes this
     * database, for {@link #OWNER_GRACE} at most each; then stops the server itself, so that none is left
     * running (the server runs in a session of its own: a Ctrl-C does not reach it).
     */
    private void stopWithTheJvm() {
        try {
            started.await(OWNER_GRACE.toMillis(), TimeUnit.MILLISECONDS);
            if (!closed.await(OWNER_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                close();
            }
        } catch (InterruptedException | IOException e) {
            // The JVM is exiting.
        }
    }

    /**
     * A paperrun process killed hard (SIGKILL, OOM) leaves its PostgreSQL running on the data
     * directory. We hold the directory lock, so that server has no live owner: shut it down (fast
     * shutdown, then a kill if it does not go) before starting our own, never two on the same files.
     */
    static void stopOrphanedServer(Path files) throws IOException {
        Path pidFile = files.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return;
        }
        List<String> lines = Files.readAllLines(pidFile);
        long pid;
        try {
            pid = lines.isEmpty() ? -1 : Long.parseLong(lines.get(0).trim());
        } catch (NumberFormatException e) {
            pid = -1;
        }
        Optional<ProcessHandle> server = pid > 0 ? ProcessHandle.of(pid) : Optional.empty();
        if (server.isPresent()
                && server.get().isAlive()
                && server.get()
                        .info()
                        .command()
                        .map(c -> c.contains("postgres"))
                        .orElse(false)) {
            signal(pid, "INT");
            if (!waitForExit(server.get(), Duration.ofSeconds(30))) {
                signal(pid, "KILL");
                waitForExit(server.get(), Duration.ofSeconds(10));
            }
        }
        Files.deleteIfExists(pidFile);
    }

    private static void signal(long pid, String signal) throws IOException {
        try {
            new ProcessBuilder("kill", "-" + signal, Long.toString(pid))
                    .inheritIO()
                    .start()
                    .waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while stopping an orphaned PostgreSQL", e);
        }
    }

    private static boolean waitForExit(ProcessHandle process, Duration timeout) {
        try {
            process.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            return !process.isAlive();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !process.isAlive();
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
        if (!closing.compareAndSet(false, true)) {
            try { // another thread closes it: wait for it to be closed
                closed.await(OWNER_GRACE.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return;
        }
        try {
            if (postgres != null) {
                postgres.close();
            } else {
                stopOrphanedServer(dataDirectory.postgresFiles()); // whatever a failed start left running
            }
        } finally {
            try {
                dataDirectory.close();
            } finally {
                closed.countDown();
                if (Thread.currentThread() != shutdownHook) {
                    try {
                        Runtime.getRuntime().removeShutdownHook(shutdownHook);
                    } catch (IllegalStateException shuttingDown) {
                        // The hook runs, and finds this database closed.
                    }
                }
            }
        }
    }
}
