package io.paperrun.mailing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.cos.COSArray;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.cos.COSString;
import org.apache.pdfbox.pdmodel.PDDocument;

/**
 * One page of a PDF as a PDF of its own, with PDFBox. The same page of the same file gives the same bytes (its
 * document id follows from the file and the page, not the clock), so a printer that matches a repeated request on an
 * identical body (Stannp) recognises it.
 */
final class ArtworkPages {

    private ArtworkPages() {}

    static byte[] page(Path pdf, int index) throws IOException {
        try (PDDocument whole = Loader.loadPDF(pdf.toFile());
                PDDocument one = new PDDocument()) {
            if (whole.getNumberOfPages() <= index) {
                throw new IOException(pdf + " has " + whole.getNumberOfPages() + " page(s), not a front and a back");
            }
            one.importPage(whole.getPage(index));
            one.getDocument().getTrailer().setItem(COSName.ID, documentId(pdf, index));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            one.save(out);
            return out.toByteArray();
        }
    }

    /** The trailer's {@code /ID}: the first 16 bytes of the SHA-256 of the file and the page index, twice. */
    private static COSArray documentId(Path pdf, int index) throws IOException {
        MessageDigest sha256;
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException missing) {
            throw new IllegalStateException(missing);
        }
        sha256.update(Files.readAllBytes(pdf));
        sha256.update((byte) index);
        COSString id = new COSString(Arrays.copyOf(sha256.digest(), 16));
        COSArray ids = new COSArray();
        ids.add(id);
        ids.add(id);
        return ids;
    }
}
