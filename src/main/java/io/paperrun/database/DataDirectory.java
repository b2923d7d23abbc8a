package io.paperrun.database;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The directory that holds the embedded PostgreSQL's files. One process at a
 * time: it is locked for as long as the process runs, and a second process
 * gets a {@link DataDirectoryInUseException}.
 */
public final class DataDirectory implements AutoCloseable {

    private static final String LOCK_FILE = "paperrun.lock";

    private final Path path;
    private final FileChannel channel;
    private final FileLock lock;

    private DataDirectory(Path path, FileChannel channel, FileLock lock) {
        this.path = path;
        this.channel = channel;
        this.lock = lock;
    }

    /** Creates the directory if needed and locks it for this process. */
    public static DataDirectory lock(Path path) throws IOException {
        Path dir = path.toAbsolutePath().normalize();
        Files.createDirectories(dir);
        Path lockFile = dir.resolve(LOCK_FILE);
        FileChannel channel = FileChannel.open(
                lockFile, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        }
        if (lock == null) {
            String owner = new String(Files.readAllBytes(lockFile), StandardCharsets.UTF_8).trim();
            channel.close();
            throw new DataDirectoryInUseException(dir, owner);
        }
        channel.truncate(0);
        channel.write(
                ByteBuffer.wrap(("pid " + ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.UTF_8)), 0);
        channel.force(false);
        return new DataDirectory(dir, channel, lock);
    }

    public Path path() {
        return path;
    }

    public Path postgresFiles() {
        return path.resolve("postgres");
    }

    @Override
    public void close() throws IOException {
        if (!channel.isOpen()) {
            return; // closed already (a failed start closes it before its caller does)
        }
        try {
            lock.release();
        } finally {
            channel.close();
        }
    }

    /** Another process holds the data directory. */
    public static final class DataDirectoryInUseException extends IOException {
        public DataDirectoryInUseException(Path dir, String owner) {
            super("data directory " + dir + " is in use by another paperrun process"
                    + (owner.isEmpty() ? "" : " (" + owner + ")")
                    + "; wait for it to finish, or use another --data-dir");
        }
    }
}
