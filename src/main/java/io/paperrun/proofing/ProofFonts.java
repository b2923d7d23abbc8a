package io.paperrun.proofing;

import com.openhtmltopdf.outputdevice.helper.BaseRendererBuilder.FontStyle;
import com.openhtmltopdf.pdfboxout.PDFontSupplier;
import com.openhtmltopdf.pdfboxout.PdfRendererBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.apache.fontbox.ttf.TTFParser;
import org.apache.fontbox.ttf.TrueTypeFont;
import org.apache.pdfbox.io.RandomAccessReadBuffer;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.font.PDFont;
import org.apache.pdfbox.pdmodel.font.PDType0Font;

/**
 * The fonts every template may name, shipped with PaperRun (DejaVu, Bitstream Vera licence): read once, parsed once
 * per thread, embedded as subsets. {@code sans-serif} and {@code serif} name them too, so text in those generic
 * families does not fall back to a PDF standard font, which is never embedded.
 */
final class ProofFonts {

    /** A font file and the CSS family, weight and style it answers to. */
    enum Face {
        SANS("DejaVuSans.ttf", 400, FontStyle.NORMAL, "DejaVu Sans", "sans-serif", "SansSerif"),
        SANS_BOLD("DejaVuSans-Bold.ttf", 700, FontStyle.NORMAL, "DejaVu Sans", "sans-serif", "SansSerif"),
        SERIF("DejaVuSerif.ttf", 400, FontStyle.NORMAL, "DejaVu Serif", "serif", "Serif"),
        SERIF_BOLD("DejaVuSerif-Bold.ttf", 700, FontStyle.NORMAL, "DejaVu Serif", "serif", "Serif");

        private final String file;
        private final int weight;
        private final FontStyle style;
        private final List<String> families;

        Face(String file, int weight, FontStyle style, String... families) {
            this.file = file;
            this.weight = weight;
            this.style = style;
            this.families = List.of(families);
        }
    }

    private static final Map<Face, byte[]> FILES = readAll();

    private final ThreadLocal<Map<Face, TrueTypeFont>> parsed =
            ThreadLocal.withInitial(() -> new EnumMap<>(Face.class));

    /** Registers every face with {@code builder}, loaded into {@code document} only when the layout uses it. */
    void register(PdfRendererBuilder builder, PDDocument document, Map<Face, PDFont> loaded) {
        for (Face face : Face.values()) {
            PDFontSupplier supplier = new PDFontSupplier(null) {
                @Override
                public PDFont supply() {
                    return loaded.computeIfAbsent(face, f -> load(document, f));
                }
            };
            for (String family : face.families) {
                builder.useFont(supplier, family, face.weight, face.style, true);
            }
        }
    }

    private PDFont load(PDDocument document, Face face) {
        try {
            return PDType0Font.load(document, trueType(face), true);
        } catch (IOException e) {
            throw new UncheckedIOException("font " + face.file, e);
        }
    }

    private TrueTypeFont trueType(Face face) {
        return parsed.get().computeIfAbsent(face, f -> {
            try {
                return new TTFParser().parse(new RandomAccessReadBuffer(FILES.get(f)));
            } catch (IOException e) {
                throw new UncheckedIOException("font " + f.file, e);
            }
        });
    }

    private static Map<Face, byte[]> readAll() {
        Map<Face, byte[]> files = new EnumMap<>(Face.class);
        for (Face face : Face.values()) {
            try (InputStream in = ProofFonts.class.getResourceAsStream("fonts/" + face.file)) {
                if (in == null) {
                    throw new IllegalStateException("font " + face.file + " is missing from the classpath");
                }
                files.put(face, in.readAllBytes());
            } catch (IOException e) {
                throw new UncheckedIOException("font " + face.file, e);
            }
        }
        return files;
    }
}
