package io.paperrun.cli;

import io.paperrun.PaperRun;
import io.paperrun.batch.Excerpt;
import io.paperrun.batch.JobDefinition;
import io.paperrun.batch.JobLaunches;
import io.paperrun.campaign.CampaignRepository;
import io.paperrun.integration.csv.CsvFile;
import io.paperrun.order.OrderSyncJobConfig;
import io.paperrun.organization.Organization;
import io.paperrun.organization.OrganizationRepository;
import io.paperrun.proofing.CodeImportJobConfig;
import io.paperrun.recipient.DoNotMailImportJobConfig;
import io.paperrun.recipient.RecipientSyncJobConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
        name = "import",
        mixinStandardHelpOptions = true,
        usageHelpAutoWidth = true,
        description = "Load recipients, orders, do-not-mail entries or unique discount codes from a CSV file.",
        subcommands = {
            ImportCommand.Recipients.class,
            ImportCommand.Orders.class,
            ImportCommand.DoNotMail.class,
            ImportCommand.Codes.class
        })
public class ImportCommand implements Callable<Integer> {

    private final PaperRun paperRun;

    public ImportCommand(PaperRun paperRun) {
        this.paperRun = paperRun;
    }

    @Override
    public Integer call() {
        paperRun.err()
                .println(
                        "paperrun import: say what to import: recipients, orders, do-not-mail or codes (see 'paperrun import "
                                + "--help')");
        return ExitCode.BAD_INPUT;
    }

    /**
     * Checks a file before an import is launched: one that cannot be used is refused (false, its reason
     * printed: nothing is imported); the columns that will be ignored are said.
     */
    static boolean usable(Path path, CsvFile.HeaderCheck check, String command, PrintWriter err) throws IOException {
        CsvFile.Header header;
        try {
            header = check.check(path);
        } catch (CsvFile.UnusableFileException e) {
            err.println(command + ": " + e.getMessage() + "; nothing was imported");
            return false;
        }
        if (!header.unknownColumns().isEmpty()) {
            err.println(
                    path + ": unknown column(s) ignored: " + Excerpt.of(String.join(", ", header.unknownColumns())));
        }
        return true;
    }

    /** What every import shares: the file check, the launch and the report. */
    abstract static class FileImport implements Callable<Integer> {

        @Option(names = "--org", required = true, paramLabel = "ORG", description = "The organization's slug.")
        String org;

        @Option(
                names = "--file",
                required = true,
                paramLabel = "F.csv",
                description = "The CSV file (UTF-8, a header row naming the columns in any order and any case).")
        Path file;

        final PaperRun paperRun;

        FileImport(PaperRun paperRun) {
            this.paperRun = paperRun;
        }

        /** The job that imports the file. */
        abstract JobDefinition job();

        /**
         * Checks what the command names beyond the organization, before the launch: false (its reason printed) when
         * something does not exist.
         */
        boolean named(Session session, Organization organization, PrintWriter err) {
            return true;
        }

        /** Adds the job parameters the command takes beyond {@code org}, {@code file} and {@code sha256}. */
        void addParameters(JobParametersBuilder parameters) {}

        private CsvFile.Header checkHeader(Path file) throws IOException {
            return CsvFile.headerCheck(job().fileToImport()
                            .flatMap(JobDefinition.Parameter::fileFormat)
                            .orElseThrow())
                    .check(file);
        }

        @Override
        public Integer call() throws Exception {
            PrintWriter out = paperRun.out();
            PrintWriter err = paperRun.err();
            Path path = file.toAbsolutePath().normalize();
            if (!usable(path, this::checkHeader, "paperrun import", err)) {
                return ExitCode.BAD_INPUT;
            }
            String sha256 = CsvFile.sha256(path);
            try (Session session = paperRun.open()) {
                Optional<Organization> organization =
                        session.bean(OrganizationRepository.class).findBySlug(org);
                if (organization.isEmpty()) {
                    err.println("paperrun import: unknown organization '" + org + "'; declare it with paperrun apply");
                    return ExitCode.BAD_INPUT;
                }
                if (!named(session, organization.get(), err)) {
                    return ExitCode.BAD_INPUT;
                }
                JobParametersBuilder builder = new JobParametersBuilder().addString("org", org);
                addParameters(builder);
                JobParameters parameters = builder.addString("file", path.toString())
                        .addString("sha256", sha256)
                        .toJobParameters();
                JobLaunches.Launch launch = session.bean(JobLaunches.class).launch(job(), parameters);
                int code = LaunchReport.outcome(launch, out, err);
                return Math.max(code, LaunchReport.importSummary(session, launch, out, err));
            }
        }
    }

    @Command(
            name = "recipients",
            mixinStandardHelpOptions = true,
            usageHelpAutoWidth = true,
            description = {
                "Load recipients: new audiences, or mailings done elsewhere, for matchback.",
                "Columns: campaign, external_id, email, first_name, last_name, address1, address2, city, "
                        + "region, zip, country, status, created_at, sent_at, discount_code.",
                "campaign and email (or a full address: address1, city, zip) are required; status is pending "
                        + "(default), sent (needs sent_at) or holdout.",
                "Importing the same file again changes nothing. Rejected rows are listed; exit 2 if any."
            })
    public static class Recipients extends FileImport {
        public Recipients(PaperRun paperRun) {
            super(paperRun);
        }

        @Override
        JobDefinition job() {
            return RecipientSyncJobConfig.DEFINITION;
        }
    }

    @Command(
            name = "orders",
            mixinStandardHelpOptions = true,
            usageHelpAutoWidth = true,
            description = {
                "Sync orders from a CSV file and match them to recipients (stage A).",
                "Columns: order_id, created_at, email, total, currency, discount_codes (';'-separated), "
                        + "shipping_address1, shipping_address2, shipping_city, shipping_region, shipping_zip, "
                        + "shipping_country, active_subscription_start_date.",
                "order_id, created_at and total are required. Re-importing an order updates it.",
                "Holdout attributions are decided at once; then run 'paperrun run attribution-processing' "
                        + "to decide which of the others pass the rules.",
                "Runs in partitions side by side ($PAPERRUN_BATCH_PARTITIONS, default 2). Not while "
                        + "attribution-processing or attribution-rerun runs (exit 3): the jobs that write "
                        + "attributions run one at a time."
            })
    public static class Orders extends FileImport {
        public Orders(PaperRun paperRun) {
            super(paperRun);
        }

        @Override
        JobDefinition job() {
            return OrderSyncJobConfig.DEFINITION;
        }
    }

    @Command(
            name = "do-not-mail",
            mixinStandardHelpOptions = true,
            usageHelpAutoWidth = true,
            description = {
                "Add emails, SHA-256s of emails and addresses to the organization's do-not-mail list.",
                "Columns: email, email_sha256, address1, address2, zip, country (ISO 3166-1 alpha-2, default US).",
                "Each row adds each of them it has: the email (trimmed, lower case), the SHA-256 of an email "
                        + "(64 hex characters), the address (address1 and zip, as its address key).",
                "Entries already on the list are left; importing the same file again changes nothing. Rejected "
                        + "rows are listed; exit 2 if any."
            })
    public static class DoNotMail extends FileImport {
        public DoNotMail(PaperRun paperRun) {
            super(paperRun);
        }

        @Override
        JobDefinition job() {
            return DoNotMailImportJobConfig.DEFINITION;
        }
    }

    @Command(
            name = "codes",
            mixinStandardHelpOptions = true,
            usageHelpAutoWidth = true,
            description = {
                "Add unique discount codes to a campaign's pool; proofing gives each to one recipient "
                        + "(unique_codes: {generate: false}, or use_unique_discount: true).",
                "Column: code (at most 64 characters, no spaces). Codes compare without regard to case.",
                "A code already in the campaign's pool is left as it is; importing the same file again changes "
                        + "nothing. A code a recipient of the organization already holds, or that is in another "
                        + "campaign's pool, is rejected. Rejected rows are listed; exit 2 if any."
            })
    public static class Codes extends FileImport {

        @Option(names = "--campaign", required = true, paramLabel = "KEY", description = "The campaign's key.")
        String campaign;

        public Codes(PaperRun paperRun) {
            super(paperRun);
        }

        @Override
        JobDefinition job() {
            return CodeImportJobConfig.DEFINITION;
        }

        @Override
        boolean named(Session session, Organization organization, PrintWriter err) {
            if (session.bean(CampaignRepository.class)
                    .find(organization.id(), campaign)
                    .isEmpty()) {
                err.println("paperrun import: unknown campaign '" + campaign + "' of organization '" + org
                        + "'; declare it with paperrun apply");
                return false;
            }
            return true;
        }

        @Override
        void addParameters(JobParametersBuilder parameters) {
            parameters.addString("campaign", campaign);
        }
    }
}
