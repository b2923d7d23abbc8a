package io.paperrun.bench;

import com.google.zxing.BarcodeFormat;
import com.google.zxing.client.j2se.MatrixToImageWriter;
import com.google.zxing.qrcode.QRCodeWriter;
import com.openhtmltopdf.pdfboxout.PdfRendererBuilder;
import com.sun.management.OperatingSystemMXBean;
import io.paperrun.campaign.PostcardSize;
import io.paperrun.campaign.PostcardTemplate;
import io.paperrun.proofing.PostcardDesign;
import io.paperrun.proofing.PostcardRenderer;
import io.paperrun.proofing.RenderedProof;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import javax.imageio.ImageIO;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.rendering.ImageType;
import org.apache.pdfbox.rendering.PDFRenderer;

/**
 * Proofs per second of the example win-back design (jobs-config/examples/designs), with 1 and 2 threads: the
 * product's {@link PostcardRenderer} at several preview resolutions, and a naive render for comparison (fonts,
 * files and a 24-bit QR code loaded per proof, the preview at 150 dpi). Prints a Markdown table.
 *
 * <p>{@code java -cp target/test-classes:target/classes:... io.paperrun.bench.ProofRenderingBenchmark [recipients]
 * [warm-up]}
 */
final class ProofRenderingBenchmark {

    private static final String LANDING_URL = "https://acme.example/p/{{discount_code}}?n={{first_name}}";
    private static final Path DESIGNS = Path.of("jobs-config/examples/designs");

    /** One approach: renders the proof of recipient {@code i}, returns its size in bytes. */
    private record Approach(String name, IntFunction<Integer> proof) {}

    /** One measurement: proofs per second and CPU milliseconds per proof. */
    record Row(String approach, int threads, double proofsPerSecond, double cpuMillisPerProof) {}

    private ProofRenderingBenchmark() {}

    public static void main(String[] args) throws Exception {
        int recipients = args.length > 0 ? Integer.parseInt(args[0]) : 600;
        int warmup = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        PrintWriter out = new PrintWriter(System.out, true);
        out.println("| approach | threads | proofs/s | CPU ms/proof |");
        out.println("|---|---|---|---|");
        for (Row row : measure(recipients, warmup)) {
            out.printf(
                    "| %s | %d | %.0f | %.1f |%n",
                    row.approach(), row.threads(), row.proofsPerSecond(), row.cpuMillisPerProof());
        }
    }

    /** Every approach with 1 and 2 threads, each after {@code warmup} proofs. */
    static List<Row> measure(int recipients, int warmup) throws Exception {
        PostcardDesign design = PostcardDesign.fromFiles(
                PostcardSize.FOUR_BY_SIX,
                DESIGNS.resolve("winback-front.html"),
                DESIGNS.resolve("winback-back.html"),
                LANDING_URL);
        List<Approach> approaches = new ArrayList<>();
        for (int dpi : new int[] {72, 48, 96, 150}) {
            PostcardRenderer renderer = new PostcardRenderer(dpi);
            approaches.add(new Approach(
                    "PostcardRenderer, preview " + dpi + " dpi"
                            + (dpi == PostcardRenderer.DEFAULT_PREVIEW_DPI ? " (chosen)" : ""),
                    i -> size(renderer.render(design, recipient(i), code(i)))));
        }
        Naive naive = new Naive();
        approaches.add(new Approach("naive: a full render per proof, preview 150 dpi", naive::proof));
        List<Row> rows = new ArrayList<>();
        for (Approach approach : approaches) {
            for (int threads = 1; threads <= 2; threads++) {
                rows.add(run(approach, threads, recipients, warmup));
            }
        }
        return rows;
    }

    private static Row run(Approach approach, int threads, int recipients, int warmup) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            drive(pool, threads, approach, warmup);
            OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            long cpu = os.getProcessCpuTime();
            long start = System.nanoTime();
            drive(pool, threads, approach, recipients);
            double seconds = (System.nanoTime() - start) / 1e9;
            double cpuMillis = (os.getProcessCpuTime() - cpu) / 1e6;
            return new Row(approach.name(), threads, recipients / seconds, cpuMillis / recipients);
        } finally {
            pool.shutdownNow();
        }
    }

    private static void drive(ExecutorService pool, int threads, Approach approach, int count) throws Exception {
        AtomicInteger next = new AtomicInteger();
        List<Future<?>> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            workers.add(pool.submit(() -> {
                for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
                    approach.proof().apply(i);
                }
            }));
        }
        for (Future<?> worker : workers) {
            worker.get();
        }
    }

    static Map<String, String> recipient(int i) {
        return Map.of("first_name", "Recipient" + i, "last_name", "Example", "email", "r" + i + "@example.com");
    }

    static String code(int i) {
        return String.format("WB-%08X", i * 2654435761L & 0xffffffffL);
    }

    private static int size(RenderedProof proof) {
        return proof.pdf().length + proof.previewPng().length;
    }

    /** The straightforward use of openhtmltopdf: everything loaded and encoded per proof. */
    private static final class Naive {

        private final PostcardTemplate front;
        private final PostcardTemplate back;
        private final String base = DESIGNS.toAbsolutePath().toUri().toString();

        Naive() throws IOException {
            front = new PostcardTemplate(Files.readString(DESIGNS.resolve("winback-front.html")));
            back = new PostcardTemplate(Files.readString(DESIGNS.resolve("winback-back.html")));
        }

        int proof(int i) {
            try {
                Map<String, String> values = new java.util.HashMap<>(recipient(i));
                values.put("discount_code", code(i));
                String url = LANDING_URL
                        .replace("{{discount_code}}", URLEncoder.encode(code(i), StandardCharsets.UTF_8))
                        .replace("{{first_name}}", URLEncoder.encode(values.get("first_name"), StandardCharsets.UTF_8));
                values.put("landing_url", url);
                ByteArrayOutputStream qr = new ByteArrayOutputStream();
                MatrixToImageWriter.writeToStream(
                        new QRCodeWriter().encode(url, BarcodeFormat.QR_CODE, 600, 600), "png", qr);
                values.put(
                        "qr_code",
                        "<img class=\"qr-code\" src=\"data:image/png;base64,"
                                + Base64.getEncoder().encodeToString(qr.toByteArray()) + "\"/>");
                ByteArrayOutputStream pdf = new ByteArrayOutputStream();
                try (PDDocument document = new PDDocument()) {
                    for (PostcardTemplate side : List.of(front, back)) {
                        PdfRendererBuilder builder = new PdfRendererBuilder()
                                .useFastMode()
                                .usePDDocument(document)
                                .withHtmlContent(side.fill(values, s -> s, Set.of()), base);
                        for (String[] font : new String[][] {
                            {"DejaVuSans.ttf", "DejaVu Sans", "400"},
                            {"DejaVuSans-Bold.ttf", "DejaVu Sans", "700"},
                            {"DejaVuSerif-Bold.ttf", "DejaVu Serif", "700"}
                        }) {
                            builder.useFont(
                                    () -> fontFile(font[0]),
                                    font[1],
                                    Integer.parseInt(font[2]),
                                    PdfRendererBuilder.FontStyle.NORMAL,
                                    true);
                        }
                        try (var renderer = builder.buildPdfRenderer()) {
                            renderer.createPDFWithoutClosing();
                        }
                    }
                    document.save(pdf);
                }
                ByteArrayOutputStream png = new ByteArrayOutputStream();
                try (PDDocument document = Loader.loadPDF(pdf.toByteArray())) {
                    ImageIO.write(new PDFRenderer(document).renderImageWithDPI(0, 150, ImageType.RGB), "png", png);
                }
                return pdf.size() + png.size();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        private static InputStream fontFile(String name) {
            InputStream in = PostcardRenderer.class.getResourceAsStream("fonts/" + name);
            if (in == null) {
                throw new UncheckedIOException(new IOException(name + " missing"));
            }
            return in;
        }
    }
}
