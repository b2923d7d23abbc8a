package io.paperrun.cli;

import io.paperrun.PaperRun;
import io.paperrun.attribution.FinanceReport;
import io.paperrun.campaign.Campaign;
import io.paperrun.campaign.CampaignRepository;
import io.paperrun.experiment.CampaignJson;
import io.paperrun.experiment.CampaignReport;
import io.paperrun.experiment.CampaignReportHtml;
import io.paperrun.experiment.ExperimentCsv;
import io.paperrun.experiment.ExperimentJson;
import io.paperrun.experiment.ExperimentMetric;
import io.paperrun.experiment.ExperimentReport;
import io.paperrun.experiment.ExperimentReportHtml;
import io.paperrun.experiment.ExperimentVerdict;
import io.paperrun.experiment.Reports;
import io.paperrun.organization.Organization;
import io.paperrun.organization.OrganizationRepository;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.time.LocalDate;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
        name = "report",
        mixinStandardHelpOptions = true,
        usageHelpAutoWidth = true,
        description = "Reports: the holdout analysis of a campaign, its funnel and return, and finance's totals.",
        subcommands = {ReportCommand.Experiment.class, ReportCommand.CampaignFunnel.class, ReportCommand.Finance.class})
public class ReportCommand implements Callable<Integer> {

    private final PaperRun paperRun;

    public ReportCommand(PaperRun paperRun) {
        this.paperRun = paperRun;
    }

    @Override
    public Integer call() {
        paperRun.err()
                .println("paperrun report: say which report: experiment, campaign or finance (see 'paperrun report "
                        + "--help')");
        return ExitCode.BAD_INPUT;
    }

    /** The format of a report: what {@code --format} takes. */
    enum Format {
        json,
        csv,
        html
    }

    @Command(
            name = "experiment",
            mixinStandardHelpOptions = true,
            usageHelpAutoWidth = true,
            description = {
                "The holdout analysis of a campaign: did the mailed group (status sent) buy more than the control "
                        + "group (status holdout)?",
                "Counts attributed orders that pass the rules and are not archived; first_order counts only each "
                        + "recipient's first. json: the fields of the interface; csv: the same fields as one row; "
                        + "html: one self-contained page with the verdict, charts and warnings.",
                "The verdict and any warning are also said on stderr."
            })
    public static class Experiment implements Callable<Integer> {

        private static final String COMMAND = "paperrun report experiment";

        @Option(names = "--org", required = true, paramLabel = "ORG", description = "The organization's slug.")
        String org;

        @Option(names = "--campaign", required = true, paramLabel = "KEY", description = "The campaign's key.")
        String campaign;

        @Option(
                names = "--metric",
                paramLabel = "METRIC",
                defaultValue = "all_orders",
                description = "all_orders (default) or first_order.")
        String metric;

        @Option(names = "--format", required = true, paramLabel = "FORMAT", description = "json, csv or html.")
        Format format;

        @Option(
                names = "--alpha",
                paramLabel = "A",
                defaultValue = "0.05",
                description = "The significance level of the one-tailed tests (default 0.05).")
        double alpha;

        @Option(names = "--out", required = true, paramLabel = "F", description = "The file to write; - for stdout.")
        String out;

        private final PaperRun paperRun;

        public Experiment(PaperRun paperRun) {
            this.paperRun = paperRun;
        }

        @Override
        public Integer call() throws Exception {
            Optional<ExperimentMetric> chosen = ExperimentMetric.of(metric);
            if (chosen.isEmpty()) {
                paperRun.err().println(COMMAND + ": --metric: " + metric + " is not all_orders or first_order");
                return ExitCode.BAD_INPUT;
            }
            if (!(alpha > 0 && alpha < 1)) {
                paperRun.err().println(COMMAND + ": --alpha: " + alpha + " is not between 0 and 1");
                return ExitCode.BAD_INPUT;
            }
            ExportTarget target = new ExportTarget(COMMAND, out);
            if (!target.writable(paperRun.err())) {
                return ExitCode.BAD_INPUT;
            }
            try (Session session = paperRun.open()) {
                Optional<Scope> scope = Scope.find(session, COMMAND, org, campaign, paperRun);
                if (scope.isEmpty()) {
                    return ExitCode.BAD_INPUT;
                }
                Campaign found = scope.get().campaign();
                long started = System.nanoTime();
                ExperimentReport report = session.bean(Reports.class)
                        .experiment(scope.get().organization(), found, chosen.get(), alpha, format == Format.html);
                if (!found.holdoutEnabled() && report.analysis().control().recipients() == 0) {
                    paperRun.err()
                            .println(COMMAND + ": campaign '" + campaign + "' holds no one out, so there is no "
                                    + "experiment to analyse; see 'paperrun report campaign'");
                    return ExitCode.BAD_INPUT;
                }
                Optional<Boolean> written = target.write(w -> write(report, w), paperRun.out(), paperRun.err());
                if (written.isEmpty()) {
                    return ExitCode.FAILED;
                }
                double seconds = (System.nanoTime() - started) / 1e9;
                target.file()
                        .ifPresent(file -> paperRun.err()
                                .println(String.format(
                                        java.util.Locale.ROOT, "report written to %s in %.2f s", file, seconds)));
                ExperimentVerdict.of(report).lines().forEach(paperRun.err()::println);
                return ExitCode.OK;
            }
        }

        private boolean write(ExperimentReport report, Writer w) {
            switch (format) {
                case json -> text(w, ExperimentJson.text(report));
                case csv -> ExperimentCsv.write(report, w);
                case html -> text(w, ExperimentReportHtml.render(report));
            }
            return true;
        }
    }

    @Command(
            name = "campaign",
            mixinStandardHelpOptions = true,
            usageHelpAutoWidth = true,
            description = {
                "A campaign's funnel (recipients by status, suppressed by reason), the pieces mailed and their "
                        + "cost, the attributed orders and revenue by method and by week since sending, and the "
                        + "return on spend (ROAS: attributed revenue over cost).",
                "Works on whatever stages have data; the control group's orders are shown apart, never as the "
                        + "mail's."
            })
    public static class CampaignFunnel implements Callable<Integer> {

        private static final String COMMAND = "paperrun report campaign";

        @Option(names = "--org", required = true, paramLabel = "ORG", description = "The organization's slug.")
        String org;

        @Option(names = "--campaign", required = true, paramLabel = "KEY", description = "The campaign's key.")
        String campaign;

        @Option(names = "--format", required = true, paramLabel = "FORMAT", description = "json or html.")
        Format format;

        @Option(names = "--out", required = true, paramLabel = "F", description = "The file to write; - for stdout.")
        String out;

        private final PaperRun paperRun;

        public CampaignFunnel(PaperRun paperRun) {
            this.paperRun = paperRun;
        }

        @Override
        public Integer call() throws Exception {
            if (format == Format.csv) {
                paperRun.err().println(COMMAND + ": --format: csv is not one of json, html");
                return ExitCode.BAD_INPUT;
            }
            ExportTarget target = new ExportTarget(COMMAND, out);
            if (!target.writable(paperRun.err())) {
                return ExitCode.BAD_INPUT;
            }
            try (Session session = paperRun.open()) {
                Optional<Scope> scope = Scope.find(session, COMMAND, org, campaign, paperRun);
                if (scope.isEmpty()) {
                    return ExitCode.BAD_INPUT;
                }
                CampaignReport report = session.bean(Reports.class)
                        .campaign(scope.get().organization(), scope.get().campaign());
                Optional<Boolean> written = target.write(
                        w -> {
                            text(
                                    w,
                                    format == Format.json
                                            ? CampaignJson.text(report)
                                            : CampaignReportHtml.render(report));
                            return true;
                        },
                        paperRun.out(),
                        paperRun.err());
                if (written.isEmpty()) {
                    return ExitCode.FAILED;
                }
                target.file().ifPresent(file -> paperRun.err().println("report written to " + file));
                unprocessedNote(paperRun, report.unprocessed());
                return ExitCode.OK;
            }
        }
    }

    @Command(
            name = "finance",
            mixinStandardHelpOptions = true,
            usageHelpAutoWidth = true,
            description = {
                "An organization's attributed orders and revenue by campaign and UTC month of the order, as CSV.",
                "Columns: campaign, month, currency, orders, revenue, holdout_orders, holdout_revenue. orders and "
                        + "revenue are the mailed group's (attributions that pass the rules and are not archived); "
                        + "the control group's are apart. They agree to the cent with 'paperrun export "
                        + "attributions' for the same dates."
            })
    public static class Finance implements Callable<Integer> {

        private static final String COMMAND = "paperrun report finance";

        @Option(names = "--org", required = true, paramLabel = "ORG", description = "The organization's slug.")
        String org;

        @Option(
                names = "--from",
                required = true,
                paramLabel = "DATE",
                description = "Orders placed on or after this UTC date.")
        LocalDate from;

        @Option(
                names = "--to",
                required = true,
                paramLabel = "DATE",
                description = "Orders placed before this UTC date (exclusive).")
        LocalDate to;

        @Option(
                names = "--out",
                required = true,
                paramLabel = "F.csv",
                description = "The file to write; - for stdout.")
        String out;

        private final PaperRun paperRun;

        public Finance(PaperRun paperRun) {
            this.paperRun = paperRun;
        }

        @Override
        public Integer call() throws Exception {
            if (!OrderDates.usable(COMMAND, from, to, paperRun.err())) {
                return ExitCode.BAD_INPUT;
            }
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
                FinanceReport finance = session.bean(FinanceReport.class);
                Optional<FinanceReport.Summary> written = target.write(
                        w -> finance.write(organization.get().id(), from, to, w), paperRun.out(), paperRun.err());
                if (written.isEmpty()) {
                    return ExitCode.FAILED;
                }
                FinanceReport.Summary summary = written.get();
                target.file()
                        .ifPresent(file -> paperRun.err()
                                .println(summary.rows() + " rows written to " + file + ": " + summary.orders()
                                        + " attributed orders, revenue "
                                        + summary.revenue().toPlainString()));
                unprocessedNote(paperRun, summary.unprocessed());
                return ExitCode.OK;
            }
        }
    }

    /** The organization and campaign a report is of; empty when either is unknown, said in one line. */
    record Scope(Organization organization, Campaign campaign) {

        static Optional<Scope> find(Session session, String command, String org, String key, PaperRun paperRun) {
            Optional<Organization> organization =
                    session.bean(OrganizationRepository.class).findBySlug(org);
            if (organization.isEmpty()) {
                paperRun.err().println(command + ": unknown organization '" + org + "'");
                return Optional.empty();
            }
            Optional<Campaign> campaign = session.bean(CampaignRepository.class)
                    .find(organization.get().id(), key);
            if (campaign.isEmpty()) {
                paperRun.err().println(command + ": unknown campaign '" + key + "' of '" + org + "'");
                return Optional.empty();
            }
            return Optional.of(new Scope(organization.get(), campaign.get()));
        }
    }

    private static void unprocessedNote(PaperRun paperRun, long unprocessed) {
        if (unprocessed > 0) {
            paperRun.err()
                    .println("note: " + unprocessed + " attribution" + (unprocessed == 1 ? " is" : "s are")
                            + " not processed yet and not counted; run 'paperrun run attribution-processing'");
        }
    }

    private static void text(Writer w, String text) {
        try {
            w.write(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
