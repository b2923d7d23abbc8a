package io.paperrun.mailing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A postcard's print-ready artwork: one PDF of two pages, the front then the back, each the trim size plus the
 * bleed. Printers that take the sides apart read {@link #front()} and {@link #back()}.
 */
public record Artwork(Path pdf) {

    /** The two-page PDF. */
    public byte[] bothSides() throws IOException {
        return Files.readAllBytes(pdf);
    }

    /** The front alone, a one-page PDF. */
    public byte[] front() throws IOException {
        return ArtworkPages.page(pdf, 0);
    }

    /** The back alone, a one-page PDF. */
    public byte[] back() throws IOException {
        return ArtworkPages.page(pdf, 1);
    }
}
