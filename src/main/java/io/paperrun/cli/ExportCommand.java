package io.paperrun.cli;

import io.paperrun.PaperRun;
import io.paperrun.attribution.AttributionExport;
import io.paperrun.batch.StorableValues;
import io.paperrun.organization.Organization;
import io.paperrun.organization.OrganizationRepository;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.LocalDate;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
        name = "export",
        mixinStandardHelpOptions = true,
        usageHelpAutoWidth = true,
        description = "Write data out as CSV.",
        subcommands = ExportCommand.Attributions.class)
public class ExportCommand implements Callable<Integer> {

    private final PaperRun paperRun;

    public ExportCommand(PaperRun paperRun) {
        this.paperRun = paperRun;
    }

    @Override
    public Integer call() {
        paperRun.err().println("paperrun export: say what to export: attributions (see 'paperrun export --help')");
        return ExitCode.BAD_INPUT;
    }

    @Command(
            name = "attributions",
            mixinStandardHelpOptions = true,
            usageHelpAutoWidth = true,
            description = {
                "Write an organization's attributions, one row per attributed order, ordered by "
                        + "order_created_at then order_id.",
                "Columns: order_id, order_created_at, order_value, campaign, recipient_external_id, "
                        + "recipient_email, method, holdout, passes_rules, order_count, archived.",
                "passes_rules and order_count are empty for an attribution not processed yet."
            })
    public static class Attributions implements Callable<Integer> {

        @Option(names = "--org", required = true, paramLabel = "ORG", description = "The organization's slug.")
        String org;

        @Option(names = "--from", paramLabel = "DATE", description = "Orders placed on or after this UTC date.")
        LocalDate from;

        @Option(names = "--to", paramLabel = "DATE", description = "Orders placed before this UTC date (exclusive).")
        LocalDate to;

        @Option(
                names = "--out",
                required = true,
                paramLabel = "F.csv",
                description = "The file to write; - for stdout.")
        String out;

        private final PaperRun paperRun;

        public Attributions(PaperRun paperRun) {
            this.paperRun = paperRun;
        }

        @Override
        public Integer call() throws Exception {
            if (from != null && to != null && !from.isBefore(to)) {
                paperRun.err().println("paperrun export attributions: --from " + from + " must be before --to " + to);
                return ExitCode.BAD_INPUT;
            }
            for (LocalDate date : new LocalDate[] {from, to}) {
                if (date != null && !StorableValues.date(date)) {
                    paperRun.err()
                            .println("paperrun export attributions: --from and --to must be within "
                                    + StorableValues.YEARS + ", not " + date);
                    return ExitCode.BAD_INPUT;
                }
            }
            Path target = out.equals("-") ? null : Path.of(out).toAbsolutePath();
            String unwritable = target == null ? null : unwritable(followLinks(target));
            if (unwritable != null) {
                paperRun.err().println("paperrun export attributions: cannot write " + target + ": " + unwritable);
                return ExitCode.BAD_INPUT;
            }
            try (Session session = paperRun.open()) {
                Optional<Organization> organization =
                        session.bean(OrganizationRepository.class).findBySlug(org);
                if (organization.isEmpty()) {
                    paperRun.err().println("paperrun export attributions: unknown organization '" + org + "'");
                    return ExitCode.BAD_INPUT;
                }
                AttributionExport export = session.bean(AttributionExport.class);
                AttributionExport.Summary summary;
                if (out.equals("-")) {
                    Writer writer = paperRun.out();
                    summary = export.write(organization.get().id(), from, to, writer);
                    writer.flush();
                } else {
                    Path real = followLinks(target);
                    boolean inPlace = Files.exists(real) && !Files.isRegularFile(real);
                    try {
                        summary = writeTo(
                                real,
                                inPlace,
                                w -> export.write(organization.get().id(), from, to, w));
                    } catch (IOException | UncheckedIOException e) {
                        paperRun.err()
                                .println("paperrun export attributions: cannot write " + target + ": " + reason(e)
                                        + (inPlace ? "" : "; nothing was written"));
                        return ExitCode.FAILED;
                    }
                    paperRun.err().println(summary.rows() + " attributions written to " + target);
                }
                if (summary.unprocessed() > 0) {
                    paperRun.err()
                            .println("note: " + summary.unprocessed() + " of them "
                                    + (summary.unprocessed() == 1 ? "is" : "are") + " not processed yet "
                                    + "(passes_rules empty); run 'paperrun run attribution-processing'");
                }
                return ExitCode.OK;
            }
        }

        /**
         * Writes {@code real} (a symbolic link's target) in place when it is not a regular file (a FIFO, a device);
         * else atomically: beside it, then moved over it, so that a failed export leaves no half file.
         */
        private static AttributionExport.Summary writeTo(
                Path real, boolean inPlace, Function<Writer, AttributionExport.Summary> write) throws IOException {
            if (inPlace) {
                try (Writer writer = writer(Files.newOutputStream(real, StandardOpenOption.WRITE))) {
                    return write.apply(writer);
                }
            }
            Path partial = real.resolveSibling(real.getFileName() + ".partial");
            try {
                AttributionExport.Summary summary;
                try (Writer writer = writer(Files.newOutputStream(partial))) {
                    summary = write.apply(writer);
                }
                Files.move(partial, real, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                return summary;
            } catch (IOException | RuntimeException e) {
                Files.deleteIfExists(partial);
                throw e;
            }
        }

        private static Writer writer(OutputStream out) {
            return new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
        }

        private static String reason(Exception e) {
            Throwable cause = e instanceof UncheckedIOException unchecked ? unchecked.getCause() : e;
            if (cause instanceof FileSystemException f && f.getReason() != null) {
                return f.getReason();
            }
            return PaperRun.oneLine(cause);
        }

        /** The file a path names once its symbolic links are followed, whether that file exists or not. */
        private static Path followLinks(Path path) throws IOException {
            Path real = path;
            for (int hops = 0; Files.isSymbolicLink(real) && hops < 40; hops++) {
                real = real.resolveSibling(Files.readSymbolicLink(real))
                        .toAbsolutePath()
                        .normalize();
            }
            return real;
        }

        /** Why the export cannot be written to {@code real} (checked before anything is read), or null. */
        private static String unwritable(Path real) {
            Path directory = real.getParent();
            if (Files.isDirectory(real)) {
                return "a directory";
            }
            if (Files.exists(real) && !Files.isRegularFile(real)) {
                return Files.isWritable(real) ? null : "not writable";
            }
            if (directory == null || !Files.isDirectory(directory)) {
                return "no such directory " + directory;
            }
            if (!Files.isWritable(directory)) {
                return "directory " + directory + " is not writable";
            }
            return null;
        }
    }
}
