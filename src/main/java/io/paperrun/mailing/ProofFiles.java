package io.paperrun.mailing;

import java.nio.file.Path;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/** Where a recipient's stored proof is on this machine: as stored when absolute, else under the data directory. */
@Component
public class ProofFiles {

    private final Path dataDirectory;

    public ProofFiles(@Value("${paperrun.data-directory:data}") Path dataDirectory) {
        this.dataDirectory = dataDirectory;
    }

    public Path resolve(String stored) {
        Path path = Path.of(stored);
        return path.isAbsolute() ? path : dataDirectory.resolve(path);
    }
}
