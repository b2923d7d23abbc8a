package io.paperrun.mailing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;

/** One page of a PDF as a PDF of its own, with PDFBox. */
final class ArtworkPages {

    private ArtworkPages() {}

    static byte[] page(Path pdf, int index) throws IOException {
        try (PDDocument whole = Loader.loadPDF(pdf.toFile());
                PDDocument one = new PDDocument()) {
            if (whole.getNumberOfPages() <= index) {
                throw new IOException(pdf + " has " + whole.getNumberOfPages() + " page(s), not a front and a back");
            }
            one.importPage(whole.getPage(index));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            one.save(out);
            return out.toByteArray();
        }
    }
}
