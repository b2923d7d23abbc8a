package io.paperrun.proofing;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The files a design's templates refer to (images, fonts, style sheets): only files inside the design's directory,
 * each read once and shared by every proof. Thread-safe.
 */
final class DesignResources {

    private final Path directory;
    private final Map<Path, Optional<byte[]>> files = new ConcurrentHashMap<>();

    DesignResources(Path directory) {
        this.directory = directory.toAbsolutePath().normalize();
    }

    Path directory() {
        return directory;
    }

    /** The directory as the base URI of relative references. */
    String baseUri() {
        return directory.toUri().toString();
    }

    /**
     * The bytes of the file {@code uri} names, or the reason it cannot be had: outside the directory, missing or
     * unreadable.
     */
    Resource read(String uri) {
        Path path;
        try {
            path = Path.of(URI.create(uri)).toAbsolutePath().normalize();
        } catch (IllegalArgumentException e) {
            return Resource.refused(uri, "is not a file");
        }
        if (!path.startsWith(directory)) {
            return Resource.refused(uri, "is outside the design's directory " + directory);
        }
        String name = directory.relativize(path).toString();
        Optional<byte[]> bytes = files.computeIfAbsent(path, p -> {
            try {
                return Optional.of(Files.readAllBytes(p));
            } catch (IOException e) {
                return Optional.empty();
            }
        });
        return bytes.map(b -> new Resource(name, b, null))
                .orElseGet(() -> Resource.refused(name, Files.exists(path) ? "cannot be read" : "does not exist"));
    }

    /** A file's bytes, or why there are none. */
    record Resource(String name, byte[] bytes, String refusal) {

        static Resource refused(String name, String refusal) {
            return new Resource(name, null, refusal);
        }

        boolean found() {
            return bytes != null;
        }
    }
}
