package io.paperrun.mailing;

import io.paperrun.campaign.CampaignRepository;
import io.paperrun.campaign.PostcardSettings;
import io.paperrun.campaign.PostcardSize;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.io.IOUtils;
import org.apache.pdfbox.multipdf.PDFMergerUtility;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.font.PDType0Font;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Writes the print runs of the print file printer (interface.md, "Print files"): per run,
 * {@code print/CAMPAIGN/RUN/postcards.pdf} (every piece's front and back in order, the recipient's address printed
 * in the back's ink-free zone) and {@code manifest.csv}, moved into place whole, then the run marked written.
 */
@Component
public class PrintFiles {

    /** The manifest's columns, as the interface spec lists them. */
    public static final List<String> MANIFEST = List.of(
            "piece_id",
            "campaign",
            "external_id",
            "name",
            "address1",
            "address2",
            "city",
            "region",
            "zip",
            "country",
            "size",
            "front_page",
            "back_page");

    static final String ADDRESS_FONT = "/io/paperrun/proofing/fonts/DejaVuSans.ttf";

    private static final DateTimeFormatter RUN_TIME =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private final PrintRuns runs;
    private final ProofFiles proofs;
    private final Path directory;
    private final CampaignRepository campaigns;

    public PrintFiles(
            PrintRuns runs,
            ProofFiles proofs,
            CampaignRepository campaigns,
            @Value("${paperrun.data-directory:data}") Path dataDirectory,
            @Value("${paperrun.print.directory:}") String printDirectory) {
        this.runs = runs;
        this.proofs = proofs;
        this.campaigns = campaigns;
        this.directory = printDirectory.isBlank() ? dataDirectory.resolve("print") : Path.of(printDirectory);
    }

    /** A run written: where, and how many pieces. */
    public record WrittenRun(String organization, String campaign, Path directory, int pieces) {}

    /** Writes every run with pieces not written yet, of the organization and campaign when given. */
    public List<WrittenRun> writeUnwritten(String org, String campaign) throws IOException {
        List<WrittenRun> written = new ArrayList<>();
        for (PrintRuns.Unwritten run : runs.unwritten(org, campaign)) {
            Optional<PostcardSettings.Design> design =
                    campaigns.findById(run.campaignId()).map(c -> c.postcards().design());
            PostcardSize size = design.map(PostcardSettings.Design::size).orElse(PostcardSize.FOUR_BY_SIX);
            List<String> from = design.map(PostcardSettings.Design::returnAddress)
                    .map(PrintFiles::returnAddressLines)
                    .orElse(List.of());
            Path target =
                    directory.resolve(run.campaign()).resolve(RUN_TIME.format(run.createdAt()) + "-run-" + run.id());
            List<PrintRuns.PrintedPiece> pieces = runs.pieces(run.id());
            write(run, size, from, pieces, target);
            runs.written(run.id(), target.toString(), pieces.size());
            written.add(new WrittenRun(run.organization(), run.campaign(), target, pieces.size()));
        }
        return written;
    }

    private void write(
            PrintRuns.Unwritten run,
            PostcardSize size,
            List<String> from,
            List<PrintRuns.PrintedPiece> pieces,
            Path target)
            throws IOException {
        Files.createDirectories(target.getParent());
        Path staging = Files.createTempDirectory(target.getParent(), "." + target.getFileName() + "-");
        try {
            PDFMergerUtility merger = new PDFMergerUtility();
            merger.setDestinationFileName(staging.resolve("postcards.pdf").toString());
            List<Path> stamped = new ArrayList<>();
            try (BufferedWriter out = Files.newBufferedWriter(staging.resolve("manifest.csv"), StandardCharsets.UTF_8);
                    CSVPrinter manifest = new CSVPrinter(
                            out,
                            CSVFormat.DEFAULT
                                    .builder()
                                    .setHeader(MANIFEST.toArray(String[]::new))
                                    .setRecordSeparator("\n")
                                    .get())) {
                int page = 1;
                for (PrintRuns.PrintedPiece piece : pieces) {
                    Path one = staging.resolve(piece.pieceId() + ".pdf");
                    stampAddress(proofs.resolve(piece.proof()), from, piece, one);
                    stamped.add(one);
                    merger.addSource(one.toFile());
                    manifest.printRecord(
                            piece.pieceId(),
                            run.campaign(),
                            piece.externalId(),
                            piece.name(),
                            piece.address1(),
                            piece.address2(),
                            piece.city(),
                            piece.region(),
                            piece.zip(),
                            piece.country(),
                            size.code(),
                            page,
                            page + 1);
                    page += 2;
                }
            }
            merger.mergeDocuments(IOUtils.createTempFileOnlyStreamCache());
            for (Path one : stamped) {
                Files.delete(one);
            }
            replace(staging, target);
        } catch (IOException | RuntimeException e) {
            deleteTree(staging);
            throw e;
        }
    }

    /**
     * The piece's two pages, the return address ({@code from}, small, at the top left) and the recipient's address
     * printed in the back's ink-free zone (providers.md §1), into {@code to}.
     */
    private static void stampAddress(Path proof, List<String> from, PrintRuns.PrintedPiece piece, Path to)
            throws IOException {
        try (PDDocument document = Loader.loadPDF(proof.toFile());
                InputStream fontBytes = PrintFiles.class.getResourceAsStream(ADDRESS_FONT)) {
            if (document.getNumberOfPages() < 2) {
                throw new IOException(proof + " has no back page");
            }
            PDType0Font font = PDType0Font.load(document, fontBytes);
            PDPage back = document.getPage(1);
            float width = back.getMediaBox().getWidth();
            // The zone: 3.2835 x 2.375 in, 0.275 in from the right edge and 0.25 in from the bottom.
            float left = width - 72f * (0.275f + 3.2835f) + 14f;
            float top = 72f * (0.25f + 2.375f) - 60f;
            try (PDPageContentStream text =
                    new PDPageContentStream(document, back, PDPageContentStream.AppendMode.APPEND, true, true)) {
                if (!from.isEmpty()) {
                    text.beginText();
                    text.setFont(font, 7f);
                    text.setLeading(8.5f);
                    text.newLineAtOffset(left - 6f, 72f * (0.25f + 2.375f) - 14f);
                    for (String line : from) {
                        text.showText(line);
                        text.newLine();
                    }
                    text.endText();
                }
                text.beginText();
                text.setFont(font, 10f);
                text.setLeading(13f);
                text.newLineAtOffset(left, top);
                for (String line : addressLines(piece)) {
                    text.showText(line);
                    text.newLine();
                }
                text.endText();
            }
            document.save(to.toFile());
        }
    }

    private static List<String> returnAddressLines(PostcardSettings.ReturnAddress from) {
        List<String> lines = new ArrayList<>();
        lines.add(from.name());
        lines.add(from.address1());
        if (from.address2() != null) {
            lines.add(from.address2());
        }
        lines.add(Stream.of(from.city(), from.region(), from.zip())
                .filter(p -> p != null && !p.isBlank())
                .reduce((a, b) -> a + " " + b)
                .orElse(""));
        return lines;
    }

    private static List<String> addressLines(PrintRuns.PrintedPiece piece) {
        List<String> lines = new ArrayList<>();
        lines.add(piece.name());
        lines.add(piece.address1() == null ? "" : piece.address1());
        if (piece.address2() != null && !piece.address2().isBlank()) {
            lines.add(piece.address2());
        }
        String last = Stream.of(piece.city(), piece.region(), piece.zip())
                .filter(p -> p != null && !p.isBlank())
                .reduce((a, b) -> a + " " + b)
                .orElse("");
        lines.add(last);
        if (piece.country() != null && !piece.country().equals("US")) {
            lines.add(piece.country());
        }
        return lines;
    }

    /** Moves the staged run into place; a run written before a crash kept it from being marked is replaced. */
    private static void replace(Path staging, Path target) throws IOException {
        if (Files.exists(target)) {
            deleteTree(target);
        }
        try {
            Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(staging, target);
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
