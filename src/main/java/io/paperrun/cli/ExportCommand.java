package io.paperrun.cli;

import io.paperrun.PaperRun;
import io.paperrun.attribution.AttributionExport;
import io.paperrun.campaign.Campaign;
import io.paperrun.campaign.CampaignRepository;
import io.paperrun.organization.Organization;
import io.paperrun.organization.OrganizationRepository;
import io.paperrun.recipient.RecipientExport;
import java.time.LocalDate;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
        name = "export",
        mixinStandardHelpOptions = true,
        usageHelpAutoWidth = true,
        description = "Write attributions or recipients out as CSV.",
        subcommands = {ExportCommand.Attributions.class, ExportCommand.Recipients.class})
public class ExportCommand implements Callable<Integer> {

    private final PaperRun paperRun;

    public ExportCommand(PaperRun paperRun) {
        this.paperRun = paperRun;
    }

    @Override
    public Integer call() {
        paperRun.err()
                .println("paperrun export: say what to export: attributions or recipients (see 'paperrun export "
                        + "--help')");
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
            if (!OrderDates.usable("paperrun export attributions", from, to, paperRun.err())) {
                return ExitCode.BAD_INPUT;
            }
            ExportTarget target = new ExportTarget("paperrun export attributions", out);
            if (!target.writable(paperRun.err())) {
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
                Optional<AttributionExport.Summary> written = target.write(
                        w -> export.write(organization.get().id(), from, to, w), paperRun.out(), paperRun.err());
                if (written.isEmpty()) {
                    return ExitCode.FAILED;
                }
                AttributionExport.Summary summary = written.get();
                target.file()
                        .ifPresent(file -> paperRun.err().println(summary.rows() + " attributions written to " + file));
                if (summary.unprocessed() > 0) {
                    paperRun.err()
                            .println("note: " + summary.unprocessed() + " of them "
                                    + (summary.unprocessed() == 1 ? "is" : "are") + " not processed yet "
                                    + "(passes_rules empty); run 'paperrun run attribution-processing'");
                }
                return ExitCode.OK;
            }
        }
    }

    @Command(
            name = "recipients",
            mixinStandardHelpOptions = true,
            usageHelpAutoWidth = true,
            description = {
                "Write an organization's recipients with their status and mailing facts, ordered by campaign "
                        + "then external_id.",
                "Columns: campaign, external_id, email, first_name, last_name, address1, address2, city, region, "
                        + "zip, country, address_source, status, status_reason, holdout, created_at, sent_at, "
                        + "printer, provider_piece_id, cost, delivery_status, in_home_date, discount_code, "
                        + "proof_front, proof_back, preview.",
                "holdout is true for the control group (status holdout); status_reason says why a recipient is "
                        + "suppressed, undeliverable or failed."
            })
    public static class Recipients implements Callable<Integer> {

        private static final String COMMAND = "paperrun export recipients";

        @Option(names = "--org", required = true, paramLabel = "ORG", description = "The organization's slug.")
        String org;

        @Option(names = "--campaign", paramLabel = "KEY", description = "Only this campaign's recipients.")
        String campaign;

        @Option(
                names = "--out",
                required = true,
                paramLabel = "F.csv",
                description = "The file to write; - for stdout.")
        String out;

        private final PaperRun paperRun;

        public Recipients(PaperRun paperRun) {
            this.paperRun = paperRun;
        }

        @Override
        public Integer call() throws Exception {
            ExportTarget target = new ExportTarget(COMMAND, out);
            if (!target.writable(paperRun.err())) {
                return ExitCode.BAD_INPUT;
            }
            try (Session session = paperRun.open()) {
                Optional<Organization> organization =
                        session.bean(OrganizationRepository.class).findBySlug(org);
                if (organization.isEmpty()) {
                    paperRun.err().println(COMMAND + ": unknown organization '" + org + "'");
                    return ExitCode.BAD_INPUT;
                }
                long organizationId = organization.get().id();
                Long campaignId = null;
                if (campaign != null) {
                    Optional<Campaign> found =
                            session.bean(CampaignRepository.class).find(organizationId, campaign);
                    if (found.isEmpty()) {
                        paperRun.err().println(COMMAND + ": unknown campaign '" + campaign + "' of '" + org + "'");
                        return ExitCode.BAD_INPUT;
                    }
                    campaignId = found.get().id();
                }
                Long only = campaignId;
                RecipientExport export = session.bean(RecipientExport.class);
                Optional<Long> rows =
                        target.write(w -> export.write(organizationId, only, w), paperRun.out(), paperRun.err());
                if (rows.isEmpty()) {
                    return ExitCode.FAILED;
                }
                target.file().ifPresent(file -> paperRun.err().println(rows.get() + " recipients written to " + file));
                return ExitCode.OK;
            }
        }
    }
}
