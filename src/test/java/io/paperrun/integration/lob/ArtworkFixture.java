package io.paperrun.integration.lob;

import io.paperrun.campaign.PostcardSize;
import io.paperrun.mailing.Artwork;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.common.PDRectangle;

/** A two-page artwork PDF (front, back) of a size's artwork dimensions, written with PDFBox, for printer tests. */
public final class ArtworkFixture {

    private ArtworkFixture() {}

    /** The artwork of {@code size}, written to {@code directory}/{@code name}.pdf. */
    public static Artwork write(Path directory, String name, PostcardSize size) throws IOException {
        Path pdf = directory.resolve(name + ".pdf");
        float width = (float) (size.artworkWidthInches() * 72);
        float height = (float) (size.artworkHeightInches() * 72);
        try (PDDocument document = new PDDocument()) {
            document.addPage(new PDPage(new PDRectangle(width, height)));
            document.addPage(new PDPage(new PDRectangle(width, height)));
            Files.createDirectories(directory);
            document.save(pdf.toFile());
        }
        return new Artwork(pdf);
    }
}
