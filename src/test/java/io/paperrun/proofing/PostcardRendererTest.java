package io.paperrun.proofing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.google.zxing.BinaryBitmap;
import com.google.zxing.DecodeHintType;
import com.google.zxing.NotFoundException;
import com.google.zxing.client.j2se.BufferedImageLuminanceSource;
import com.google.zxing.common.HybridBinarizer;
import com.google.zxing.qrcode.QRCodeReader;
import io.paperrun.campaign.PostcardSize;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.contentstream.PDFStreamEngine;
import org.apache.pdfbox.contentstream.operator.DrawObject;
import org.apache.pdfbox.contentstream.operator.Operator;
import org.apache.pdfbox.contentstream.operator.state.Concatenate;
import org.apache.pdfbox.contentstream.operator.state.Restore;
import org.apache.pdfbox.contentstream.operator.state.Save;
import org.apache.pdfbox.contentstream.operator.state.SetMatrix;
import org.apache.pdfbox.cos.COSBase;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.font.PDFont;
import org.apache.pdfbox.pdmodel.graphics.PDXObject;
import org.apache.pdfbox.pdmodel.graphics.form.PDFormXObject;
import org.apache.pdfbox.pdmodel.graphics.image.PDImageXObject;
import org.apache.pdfbox.rendering.ImageType;
import org.apache.pdfbox.rendering.PDFRenderer;
import org.apache.pdfbox.text.PDFTextStripper;
import org.apache.pdfbox.util.Matrix;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PostcardRendererTest {

    private static final Path DESIGNS = Path.of("jobs-config/examples/designs");
    private static final String LANDING_URL = "https://acme.example/p/{{discount_code}}?n={{first_name}}";
    private static final String CODE = "WB-7KQ2M9XA";
    private static final PostcardRenderer RENDERER = new PostcardRenderer();

    private static PostcardDesign example;
    private static RenderedProof jordan;

    @TempDir
    Path directory;

    @BeforeAll
    static void renderTheExample() {
        example = PostcardDesign.fromFiles(
                PostcardSize.FOUR_BY_SIX,
                DESIGNS.resolve("winback-front.html"),
                DESIGNS.resolve("winback-back.html"),
                LANDING_URL);
        jordan = RENDERER.render(example, Map.of("first_name", "Jordan", "last_name", "Lee"), CODE);
    }

    @Test
    void theProofIsAFrontAndABackAtTheArtworkSize() throws IOException {
        try (PDDocument pdf = Loader.loadPDF(jordan.pdf())) {
            assertThat(pdf.getNumberOfPages()).isEqualTo(2);
            for (PDPage page : pdf.getPages()) {
                assertThat(page.getMediaBox().getWidth()).isCloseTo(6.25f * 72, within(0.5f));
                assertThat(page.getMediaBox().getHeight()).isCloseTo(4.25f * 72, within(0.5f));
            }
        }
    }

    @Test
    void everySizeGetsItsArtworkSize() throws IOException {
        for (PostcardSize size : PostcardSize.values()) {
            PostcardDesign design =
                    PostcardDesign.of(size, page("Front for {{first_name}}"), page("Back"), directory, LANDING_URL);
            try (PDDocument pdf = Loader.loadPDF(
                    RENDERER.render(design, Map.of("first_name", "Kim"), CODE).pdf())) {
                assertThat(pdf.getNumberOfPages()).as(size.code()).isEqualTo(2);
                for (PDPage page : pdf.getPages()) {
                    assertThat(page.getMediaBox().getWidth())
                            .as(size.code())
                            .isCloseTo((float) size.artworkWidthInches() * 72, within(0.5f));
                    assertThat(page.getMediaBox().getHeight())
                            .as(size.code())
                            .isCloseTo((float) size.artworkHeightInches() * 72, within(0.5f));
                }
            }
        }
    }

    @Test
    void everyFontIsEmbedded() throws IOException {
        PostcardDesign design = PostcardDesign.of(
                PostcardSize.A6,
                page("<p style='font-family: serif'>Serif</p><p style='font-family: sans-serif'>Sans</p>"
                        + "<p style='font-weight: bold'>Bold</p>"),
                page("No family named"),
                directory,
                LANDING_URL);
        for (byte[] proof :
                List.of(jordan.pdf(), RENDERER.render(design, Map.of(), CODE).pdf())) {
            try (PDDocument pdf = Loader.loadPDF(proof)) {
                int fonts = 0;
                for (PDPage page : pdf.getPages()) {
                    for (COSName name : page.getResources().getFontNames()) {
                        PDFont font = page.getResources().getFont(name);
                        assertThat(font.isEmbedded()).as(font.getName()).isTrue();
                        fonts++;
                    }
                }
                assertThat(fonts).isPositive();
            }
        }
    }

    @Test
    void aFontThatCannotBeEmbeddedFailsTheProof() {
        PostcardDesign design = PostcardDesign.of(
                PostcardSize.FOUR_BY_SIX,
                page("<p style='font-family: Courier'>Typewriter</p>"),
                page("Back"),
                directory,
                LANDING_URL);

        assertThatThrownBy(() -> RENDERER.render(design, Map.of(), CODE))
                .isInstanceOf(ProofRenderingException.class)
                .hasMessageContaining("front template")
                .hasMessageContaining("Courier")
                .hasMessageContaining("embedded");
    }

    @Test
    void theRecipientsNameAndCodeAreOnTheCard() throws IOException {
        try (PDDocument pdf = Loader.loadPDF(jordan.pdf())) {
            PDFTextStripper text = new PDFTextStripper();
            text.setStartPage(1);
            text.setEndPage(1);
            String front = text.getText(pdf).replaceAll("\\s+", " ");
            text.setStartPage(2);
            text.setEndPage(2);
            String back = text.getText(pdf).replaceAll("\\s+", " ");

            assertThat(front).contains("We miss you, Jordan!").contains(CODE);
            assertThat(back).contains("Hi Jordan,").contains(CODE);
        }
    }

    @Test
    void theQrCodeHoldsTheLandingUrlWithItsFieldsUrlEncoded() throws Exception {
        RenderedProof proof = RENDERER.render(example, Map.of("first_name", "José & Ana"), "WB 1/2");

        try (PDDocument pdf = Loader.loadPDF(proof.pdf())) {
            BufferedImage front = new PDFRenderer(pdf).renderImageWithDPI(0, 100, ImageType.BINARY);
            assertThat(qrCode(front)).isEqualTo("https://acme.example/p/WB%201%2F2?n=Jos%C3%A9%20%26%20Ana");
        }
    }

    @Test
    void mergeValuesAreEscapedAsText() throws IOException {
        String name = "<script>alert('x')</script> & \"Co\"";
        RenderedProof proof = RENDERER.render(example, Map.of("first_name", name), CODE);

        try (PDDocument pdf = Loader.loadPDF(proof.pdf())) {
            String text = new PDFTextStripper().getText(pdf).replaceAll("\\s+", " ");
            assertThat(text).contains("<script>alert('x')</script> & \"Co\"");
        }
    }

    @Test
    void rasterImagesArePrintedAtThreeHundredDpiOrMore() throws IOException {
        try (PDDocument pdf = Loader.loadPDF(jordan.pdf())) {
            List<ImagePlacement> images = new ArrayList<>();
            for (PDPage page : pdf.getPages()) {
                ImagePlacements placements = new ImagePlacements();
                placements.processPage(page);
                images.addAll(placements.images);
            }

            assertThat(images).hasSize(2);
            for (ImagePlacement image : images) {
                assertThat(image.dpi()).as(image.toString()).isGreaterThanOrEqualTo(300);
            }
        }
    }

    @Test
    void thePreviewIsThePngOfTheFrontAtSeventyTwoDpi() throws IOException {
        BufferedImage preview = ImageIO.read(new ByteArrayInputStream(jordan.previewPng()));

        assertThat(preview.getWidth()).isEqualTo(450);
        assertThat(preview.getHeight()).isEqualTo(306);
        assertThat(new PostcardRenderer(150).render(example, Map.of(), CODE).previewPng())
                .satisfies(png -> assertThat(
                                ImageIO.read(new ByteArrayInputStream(png)).getWidth())
                        .isEqualTo(937));
    }

    @Test
    void theBackLeavesTheAddressBoxWithoutInk() throws IOException {
        try (PDDocument pdf = Loader.loadPDF(jordan.pdf())) {
            int dpi = 100;
            BufferedImage back = new PDFRenderer(pdf).renderImageWithDPI(1, dpi, ImageType.RGB);
            int left = (int) Math.ceil((6.25 - 0.275 - 3.2835) * dpi);
            int top = (int) Math.ceil((4.25 - 0.25 - 2.375) * dpi);
            int right = (int) Math.floor((6.25 - 0.275) * dpi);
            int bottom = (int) Math.floor((4.25 - 0.25) * dpi);
            int inked = 0;
            for (int y = top; y < bottom; y++) {
                for (int x = left; x < right; x++) {
                    if ((back.getRGB(x, y) & 0xffffff) != 0xffffff) {
                        inked++;
                    }
                }
            }
            assertThat(inked).as("pixels with ink in the address box").isZero();
        }
    }

    @Test
    void aMissingImageFailsTheProofNamingTheFile() {
        PostcardDesign design = PostcardDesign.of(
                PostcardSize.FOUR_BY_SIX, page("<img src='images/missing.png'/>"), page("Back"), directory, "");

        assertThatThrownBy(() -> RENDERER.render(design, Map.of(), CODE))
                .isInstanceOf(ProofRenderingException.class)
                .hasMessageContaining("front template")
                .hasMessageContaining("images/missing.png does not exist");
    }

    @Test
    void aFileOutsideTheDesignOrOnTheWebIsRefused() throws IOException {
        Path design = Files.createDirectories(directory.resolve("design"));
        Files.write(directory.resolve("secret.png"), QrCodeImage.png("x"));

        PostcardDesign outside = PostcardDesign.of(
                PostcardSize.FOUR_BY_SIX, page("Front"), page("<img src='../secret.png'/>"), design, "");
        PostcardDesign web = PostcardDesign.of(
                PostcardSize.FOUR_BY_SIX, page("<img src='https://example.com/a.png'/>"), page("Back"), design, "");

        assertThatThrownBy(() -> RENDERER.render(outside, Map.of(), CODE))
                .isInstanceOf(ProofRenderingException.class)
                .hasMessageContaining("back template")
                .hasMessageContaining("outside the design's directory");
        assertThatThrownBy(() -> RENDERER.render(web, Map.of(), CODE))
                .isInstanceOf(ProofRenderingException.class)
                .hasMessageContaining("https://example.com/a.png is refused");
    }

    @Test
    void aMalformedTemplateFailsTheProof() {
        PostcardDesign design = PostcardDesign.of(
                PostcardSize.FOUR_BY_SIX, page("Front"), page("<div><p>Unclosed</div>"), directory, "");

        assertThatThrownBy(() -> RENDERER.render(design, Map.of(), CODE))
                .isInstanceOf(ProofRenderingException.class)
                .hasMessageStartingWith("back template cannot be rendered: ");
    }

    @Test
    void aDesignNamingAnUnknownFieldIsRefused() {
        assertThatThrownBy(() ->
                        PostcardDesign.of(PostcardSize.FOUR_BY_SIX, page("{{nickname}}"), page("Back"), directory, ""))
                .isInstanceOf(ProofRenderingException.class)
                .hasMessageContaining("front template names unknown merge field(s) nickname");
        assertThatThrownBy(() -> PostcardDesign.of(
                        PostcardSize.FOUR_BY_SIX, page("Front"), page("Back"), directory, "https://x/{{qr_code}}"))
                .isInstanceOf(ProofRenderingException.class)
                .hasMessageContaining("landing_url names qr_code");
    }

    @Test
    void aSideThatOverflowsOntoASecondPageFailsTheProof() {
        PostcardDesign design = PostcardDesign.of(
                PostcardSize.FOUR_BY_SIX, page("<div style='height: 6in'>Tall</div>"), page("Back"), directory, "");

        assertThatThrownBy(() -> RENDERER.render(design, Map.of(), CODE))
                .isInstanceOf(ProofRenderingException.class)
                .hasMessage("front template makes 2 pages, not one");
    }

    private static String page(String body) {
        return "<html><head><style>body { margin: 0 }</style></head><body>" + body + "</body></html>";
    }

    private static String qrCode(BufferedImage image) throws Exception {
        try {
            return new QRCodeReader()
                    .decode(
                            new BinaryBitmap(new HybridBinarizer(new BufferedImageLuminanceSource(image))),
                            Map.of(DecodeHintType.TRY_HARDER, Boolean.TRUE))
                    .getText();
        } catch (NotFoundException e) {
            throw new AssertionError("no QR code found", e);
        }
    }

    /** An image drawn on a page: its pixels and its printed size in points. */
    private record ImagePlacement(int widthPixels, int heightPixels, double widthPoints, double heightPoints) {
        double dpi() {
            return Math.min(widthPixels / (widthPoints / 72), heightPixels / (heightPoints / 72));
        }
    }

    /** The images a page draws, with the current transformation at each. */
    private static final class ImagePlacements extends PDFStreamEngine {

        final List<ImagePlacement> images = new ArrayList<>();

        ImagePlacements() {
            addOperator(new Concatenate(this));
            addOperator(new DrawObject(this));
            addOperator(new SetMatrix(this));
            addOperator(new Save(this));
            addOperator(new Restore(this));
        }

        @Override
        protected void processOperator(Operator operator, List<COSBase> operands) throws IOException {
            if ("Do".equals(operator.getName())) {
                PDXObject object = getResources().getXObject((COSName) operands.get(0));
                if (object instanceof PDImageXObject image) {
                    Matrix ctm = getGraphicsState().getCurrentTransformationMatrix();
                    images.add(new ImagePlacement(
                            image.getWidth(),
                            image.getHeight(),
                            Math.abs(ctm.getScalingFactorX()),
                            Math.abs(ctm.getScalingFactorY())));
                    return;
                }
                if (object instanceof PDFormXObject form) {
                    showForm(form);
                    return;
                }
            }
            super.processOperator(operator, operands);
        }
    }
}
