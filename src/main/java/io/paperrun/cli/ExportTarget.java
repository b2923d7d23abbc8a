package io.paperrun.cli;

import io.paperrun.PaperRun;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.function.Function;

/**
 * Where an export's {@code --out} goes: standard output ({@code -}), a regular file written atomically, or anything
 * else (a FIFO, a device, a symbolic link's target) written as it is, never replaced by a regular file.
 */
final class ExportTarget {

    private final String command;
    private final Path path;

    /**
     * @param command the command, as its messages name it ({@code paperrun export attributions})
     * @param out     {@code --out}: {@code -} for standard output, else a path
     */
    ExportTarget(String command, String out) {
        this.command = command;
        this.path = out.equals("-") ? null : Path.of(out).toAbsolutePath();
    }

    /** Standard output, else the file's path as given (absolute). */
    Optional<Path> file() {
        return Optional.ofNullable(path);
    }

    /** Checked before anything is read: false, and why said in one line, when the file cannot be written. */
    boolean writable(PrintWriter err) throws IOException {
        String unwritable = path == null ? null : unwritable(followLinks(path));
        if (unwritable != null) {
            err.println(command + ": cannot write " + path + ": " + unwritable);
        }
        return unwritable == null;
    }

    /**
     * Writes the export; empty when a file could not be written, said in one line (standard output's failures are
     * the command line's: it checks its output once the command is done).
     */
    <S> Optional<S> write(Function<Writer, S> export, PrintWriter out, PrintWriter err) throws IOException {
        if (path == null) {
            S summary = export.apply(out);
            out.flush();
            return Optional.of(summary);
        }
        Path real = followLinks(path);
        boolean inPlace = Files.exists(real) && !Files.isRegularFile(real);
        try {
            return Optional.of(writeTo(real, inPlace, export));
        } catch (IOException | UncheckedIOException e) {
            err.println(
                    command + ": cannot write " + path + ": " + reason(e) + (inPlace ? "" : "; nothing was written"));
            return Optional.empty();
        }
    }

    /**
     * Writes {@code real} (a symbolic link's target) in place when it is not a regular file (a FIFO, a device);
     * else atomically: beside it, then moved over it, so that a failed export leaves no half file.
     */
    private static <S> S writeTo(Path real, boolean inPlace, Function<Writer, S> write) throws IOException {
        if (inPlace) {
            try (Writer writer = writer(Files.newOutputStream(real, StandardOpenOption.WRITE))) {
                return write.apply(writer);
            }
        }
        Path partial = real.resolveSibling(real.getFileName() + ".partial");
        try {
            S summary;
            try (Writer writer = writer(Files.newOutputStream(partial))) {
                summary = write.apply(writer);
            }
            Files.move(partial, real, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return summary;
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(partial);
            throw e;
        }
    }

    private static Writer writer(OutputStream out) {
        return new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
    }

    private static String reason(Exception e) {
        Throwable cause = e instanceof UncheckedIOException unchecked ? unchecked.getCause() : e;
        if (cause instanceof FileSystemException f && f.getReason() != null) {
            return f.getReason();
        }
        return PaperRun.oneLine(cause);
    }

    /** The file a path names once its symbolic links are followed, whether that file exists or not. */
    private static Path followLinks(Path path) throws IOException {
        Path real = path;
        for (int hops = 0; Files.isSymbolicLink(real) && hops < 40; hops++) {
            real = real.resolveSibling(Files.readSymbolicLink(real))
                    .toAbsolutePath()
                    .normalize();
        }
        return real;
    }

    /** Why the export cannot be written to {@code real}, or null. */
    private static String unwritable(Path real) {
        Path directory = real.getParent();
        if (Files.isDirectory(real)) {
            return "a directory";
        }
        if (Files.exists(real) && !Files.isRegularFile(real)) {
            return Files.isWritable(real) ? null : "not writable";
        }
        if (directory == null || !Files.isDirectory(directory)) {
            return "no such directory " + directory;
        }
        if (!Files.isWritable(directory)) {
            return "directory " + directory + " is not writable";
        }
        return null;
    }
}
