package io.paperrun.proofing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The proofs' files on this machine: under {@code paperrun.proofs.directory}, by default the data directory's
 * {@code proofs/}, as {@code ORG/CAMPAIGN/<recipient id>.pdf} and {@code ...-front.png}. Each file is written whole
 * (a temporary file moved into place), so a reader never sees half a proof. Stored paths are relative to the data
 * directory when the file is under it, else absolute.
 */
@Component
public class ProofDirectory {

    private final Path dataDirectory;
    private final Path directory;

    public ProofDirectory(
            @Value("${paperrun.data-directory:data}") Path dataDirectory,
            @Value("${paperrun.proofs.directory:}") String directory) {
        this.dataDirectory = dataDirectory.toAbsolutePath().normalize();
        this.directory = directory == null || directory.isBlank()
                ? this.dataDirectory.resolve("proofs")
                : Path.of(directory).toAbsolutePath().normalize();
    }

    /** The directory the proofs are written under. */
    public Path directory() {
        return directory;
    }

    /** Writes the recipient's two-page PDF; the stored path. */
    public String writePdf(ProofKey key, byte[] pdf) throws IOException {
        return write(key.path() + ".pdf", pdf);
    }

    /** Writes the recipient's front preview; the stored path. */
    public String writePreview(ProofKey key, byte[] png) throws IOException {
        return write(key.path() + "-front.png", png);
    }

    /** The file a stored path names. */
    public Path resolve(String stored) {
        Path path = Path.of(stored);
        return path.isAbsolute() ? path : dataDirectory.resolve(path);
    }

    private String write(String name, byte[] bytes) throws IOException {
        Path file = directory.resolve(name);
        Path parent = file.getParent();
        Files.createDirectories(parent);
        Path temporary = Files.createTempFile(parent, "." + file.getFileName(), ".tmp");
        try {
            Files.write(temporary, bytes);
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temporary);
        }
        return stored(file);
    }

    private String stored(Path file) {
        return file.startsWith(dataDirectory)
                ? dataDirectory.relativize(file).toString().replace('\\', '/')
                : file.toString();
    }
}
