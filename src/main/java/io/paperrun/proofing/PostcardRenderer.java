package io.paperrun.proofing;

import com.openhtmltopdf.extend.FSStream;
import com.openhtmltopdf.extend.FSStreamFactory;
import com.openhtmltopdf.outputdevice.helper.BaseRendererBuilder.PageSizeUnits;
import com.openhtmltopdf.outputdevice.helper.ExternalResourceControlPriority;
import com.openhtmltopdf.pdfboxout.PdfBoxRenderer;
import com.openhtmltopdf.pdfboxout.PdfRendererBuilder;
import com.openhtmltopdf.util.Diagnostic;
import com.openhtmltopdf.util.XRLog;
import io.paperrun.campaign.PostcardSize;
import io.paperrun.campaign.PostcardTemplate;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Level;
import org.apache.pdfbox.cos.COSDictionary;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDResources;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDFont;
import org.apache.pdfbox.rendering.ImageType;
import org.apache.pdfbox.rendering.PDFRenderer;
import org.apache.pdfbox.rendering.RenderDestination;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * Renders a recipient's proof of a {@link PostcardDesign}: a two-page print-ready PDF, each page the artwork size
 * (trim plus bleed), fonts embedded, and a PNG preview of the front at {@link #previewDpi()}. Thread-safe: one
 * instance serves every thread.
 */
public final class PostcardRenderer {

    /** The preview's resolution unless told: 6.25 × 4.25 in is 450 × 306 pixels. */
    public static final int DEFAULT_PREVIEW_DPI = 72;

    private static final double POINTS_PER_INCH = 72;
    private static final double PAGE_SIZE_TOLERANCE_POINTS = 0.5;

    static {
        XRLog.setLoggingEnabled(false);
    }

    private final int previewDpi;
    private final ProofFonts fonts = new ProofFonts();

    /** A renderer whose previews are {@link #DEFAULT_PREVIEW_DPI}. */
    public PostcardRenderer() {
        this(DEFAULT_PREVIEW_DPI);
    }

    /** A renderer whose previews are {@code previewDpi} dots per inch. */
    public PostcardRenderer(int previewDpi) {
        if (previewDpi < 1 || previewDpi > 600) {
            throw new IllegalArgumentException("preview dpi must be 1 to 600, not " + previewDpi);
        }
        this.previewDpi = previewDpi;
    }

    public int previewDpi() {
        return previewDpi;
    }

    /**
     * The proof of {@code design} for a recipient whose columns are {@code recipientFields}, with {@code
     * discountCode} (null when the campaign has none). Merge fields are HTML-escaped, the landing URL's own merge
     * fields URL-encoded.
     *
     * @throws ProofRenderingException when a template or a file it refers to cannot be rendered
     */
    public RenderedProof render(PostcardDesign design, Map<String, String> recipientFields, String discountCode) {
        Map<String, String> values = mergeValues(design, recipientFields, discountCode);
        try (PDDocument document = new PDDocument()) {
            Map<ProofFonts.Face, PDFont> loaded = new EnumMap<>(ProofFonts.Face.class);
            renderSide(document, design.front(), design.size(), values, loaded);
            renderSide(document, design.back(), design.size(), values, loaded);
            checkFontsEmbedded(document, design);
            ByteArrayOutputStream pdf = new ByteArrayOutputStream(64 * 1024);
            document.save(pdf);
            return new RenderedProof(pdf.toByteArray(), preview(document));
        } catch (IOException e) {
            throw new ProofRenderingException("the proof cannot be written: " + e.getMessage(), e);
        }
    }

    private static Map<String, String> mergeValues(
            PostcardDesign design, Map<String, String> recipientFields, String discountCode) {
        Map<String, String> values = new HashMap<>(recipientFields);
        values.remove(PostcardTemplate.LANDING_URL);
        values.remove(PostcardTemplate.QR_CODE);
        if (discountCode != null) {
            values.put("discount_code", discountCode);
        }
        String landingUrl = design.landingUrl()
                .fill(values, v -> URLEncoder.encode(v, StandardCharsets.UTF_8).replace("+", "%20"), Set.of());
        values.put(PostcardTemplate.LANDING_URL, landingUrl);
        if (design.front().template().names(PostcardTemplate.QR_CODE)
                || design.back().template().names(PostcardTemplate.QR_CODE)) {
            values.put(PostcardTemplate.QR_CODE, QrCodeImage.imgElement(landingUrl));
        }
        return values;
    }

    private void renderSide(
            PDDocument document,
            PostcardDesign.Side side,
            PostcardSize size,
            Map<String, String> values,
            Map<ProofFonts.Face, PDFont> loaded) {
        String html = side.template().fill(values, Markup::escape, Set.of(PostcardTemplate.QR_CODE));
        List<String> problems = new ArrayList<>();
        int pagesBefore = document.getNumberOfPages();
        PdfRendererBuilder builder = new PdfRendererBuilder()
                .useFastMode()
                .usePDDocument(document)
                .withHtmlContent(html, side.resources().baseUri())
                .useDefaultPageSize(
                        (float) size.artworkWidthInches(), (float) size.artworkHeightInches(), PageSizeUnits.INCHES)
                .addDOMMutator(doc -> addArtboardStyle(doc, size))
                .useProtocolsStreamImplementation(new ResourceStreams(side.resources(), problems), "file")
                .useExternalResourceAccessControl(
                        (uri, type) -> allowed(uri, problems), ExternalResourceControlPriority.RUN_AFTER_RESOLVING_URI)
                .withDiagnosticConsumer(d -> collect(d, side, problems));
        fonts.register(builder, document, loaded);
        try (PdfBoxRenderer renderer = builder.buildPdfRenderer()) {
            renderer.createPDFWithoutClosing();
        } catch (RuntimeException | IOException e) {
            throw new ProofRenderingException(side.name() + " cannot be rendered: " + cause(e), e);
        }
        if (!problems.isEmpty()) {
            throw new ProofRenderingException(side.name() + ": " + String.join("; ", problems));
        }
        int pages = document.getNumberOfPages() - pagesBefore;
        if (pages != 1) {
            throw new ProofRenderingException(side.name() + " makes " + pages + " pages, not one");
        }
        checkPageSize(document.getPage(pagesBefore), side, size);
    }

    /** The first style of the document: the artwork's page size, no page margin, the built-in sans-serif font. */
    private static void addArtboardStyle(Document document, PostcardSize size) {
        Element html = document.getDocumentElement();
        Node head = html.getElementsByTagName("head").item(0);
        if (head == null) {
            head = html.insertBefore(document.createElement("head"), html.getFirstChild());
        }
        Element style = document.createElement("style");
        style.setTextContent("@page { size: " + size.artworkWidthInches() + "in " + size.artworkHeightInches()
                + "in; margin: 0 } html { font-family: 'DejaVu Sans', sans-serif }");
        head.insertBefore(style, head.getFirstChild());
    }

    private static boolean allowed(String uri, List<String> problems) {
        if (uri.startsWith("data:") || uri.startsWith("file:")) {
            return true;
        }
        problems.add(uri + " is refused: only files in the design's directory and data: URIs are allowed");
        return false;
    }

    /**
     * Problems loading the template or its files fail the proof; a CSS declaration the renderer ignores is logged
     * once per design.
     */
    private static void collect(Diagnostic diagnostic, PostcardDesign.Side side, List<String> problems) {
        if (diagnostic.getLevel().intValue() < Level.WARNING.intValue()) {
            return;
        }
        String message = diagnostic.getFormattedMessage();
        if (XRLog.CSS_PARSE.equals(diagnostic.getLogMessageId().getWhere())) {
            side.warnOnce(message);
        } else {
            problems.add(message);
        }
    }

    private static String cause(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.toString() : root.getMessage();
    }

    private static void checkPageSize(PDPage page, PostcardDesign.Side side, PostcardSize size) {
        PDRectangle box = page.getMediaBox();
        double width = size.artworkWidthInches() * POINTS_PER_INCH;
        double height = size.artworkHeightInches() * POINTS_PER_INCH;
        if (Math.abs(box.getWidth() - width) > PAGE_SIZE_TOLERANCE_POINTS
                || Math.abs(box.getHeight() - height) > PAGE_SIZE_TOLERANCE_POINTS) {
            throw new ProofRenderingException(String.format(
                    "%s sets a page of %.3f × %.3f in; a %s postcard's artwork is %.3f × %.3f in",
                    side.name(),
                    box.getWidth() / POINTS_PER_INCH,
                    box.getHeight() / POINTS_PER_INCH,
                    size,
                    size.artworkWidthInches(),
                    size.artworkHeightInches()));
        }
    }

    /**
     * Every font on the pages is embedded: a Type 0 font is one of the TrueType fonts the renderer embeds (as a
     * subset, when the document is saved); any other must carry its font file.
     */
    private static void checkFontsEmbedded(PDDocument document, PostcardDesign design) {
        for (int i = 0; i < document.getNumberOfPages(); i++) {
            PDResources resources = document.getPage(i).getResources();
            COSDictionary fontsOfPage =
                    resources == null ? null : resources.getCOSObject().getCOSDictionary(COSName.FONT);
            if (fontsOfPage == null) {
                continue;
            }
            for (COSName name : fontsOfPage.keySet()) {
                COSDictionary font = fontsOfPage.getCOSDictionary(name);
                if (font == null || COSName.TYPE0.equals(font.getCOSName(COSName.SUBTYPE)) || hasFontFile(font)) {
                    continue;
                }
                String sideName = i == 0 ? design.front().name() : design.back().name();
                throw new ProofRenderingException(sideName + " uses the font " + font.getNameAsString(COSName.BASE_FONT)
                        + ", which cannot be embedded: name a built-in font (DejaVu Sans, DejaVu Serif) or"
                        + " declare it with @font-face");
            }
        }
    }

    private static boolean hasFontFile(COSDictionary font) {
        COSDictionary descriptor = font.getCOSDictionary(COSName.FONT_DESC);
        return descriptor != null
                && (descriptor.containsKey(COSName.FONT_FILE)
                        || descriptor.containsKey(COSName.FONT_FILE2)
                        || descriptor.containsKey(COSName.FONT_FILE3));
    }

    private byte[] preview(PDDocument document) throws IOException {
        PDFRenderer renderer = new PDFRenderer(document);
        renderer.setSubsamplingAllowed(true);
        BufferedImage image =
                renderer.renderImage(0, (float) (previewDpi / POINTS_PER_INCH), ImageType.RGB, RenderDestination.VIEW);
        return Markup.png(image);
    }

    /** Serves the design's files to the renderer, noting the ones it cannot have. */
    private record ResourceStreams(DesignResources resources, List<String> problems) implements FSStreamFactory {

        @Override
        public FSStream getUrl(String url) {
            DesignResources.Resource resource = resources.read(url);
            if (!resource.found()) {
                problems.add(resource.name() + " " + resource.refusal());
            }
            return new FSStream() {
                @Override
                public InputStream getStream() {
                    return resource.found() ? new ByteArrayInputStream(resource.bytes()) : null;
                }

                @Override
                public Reader getReader() {
                    InputStream in = getStream();
                    return in == null ? null : new InputStreamReader(in, StandardCharsets.UTF_8);
                }
            };
        }
    }
}
