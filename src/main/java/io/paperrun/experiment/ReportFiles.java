package io.paperrun.experiment;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Where the experiment-report job keeps a campaign's reports: {@code DIR/ORG/CAMPAIGN/}, DIR being
 * {@code paperrun.reports.directory}, else {@code reports} in the data directory. Each file is replaced whole.
 */
@Component
public class ReportFiles {

    private final Path directory;

    public ReportFiles(
            @Value("${paperrun.data-directory:data}") Path dataDirectory,
            @Value("${paperrun.reports.directory:}") String reportsDirectory) {
        this.directory = reportsDirectory.isBlank() ? dataDirectory.resolve("reports") : Path.of(reportsDirectory);
    }

    /** A campaign's reports: the file names and their contents. */
    public record CampaignFiles(String organization, String campaign, Map<String, String> files) {}

    /**
     * The files of one campaign: {@code experiment-METRIC.json|csv|html} for both metrics, and
     * {@code campaign.json|html}.
     */
    public static CampaignFiles render(Map<ExperimentMetric, ExperimentReport> experiments, CampaignReport campaign) {
        Map<String, String> files = new LinkedHashMap<>();
        experiments.forEach((metric, report) -> {
            String name = "experiment-" + metric.code();
            files.put(name + ".json", ExperimentJson.text(report));
            java.io.StringWriter csv = new java.io.StringWriter();
            ExperimentCsv.write(report, csv);
            files.put(name + ".csv", csv.toString());
            files.put(name + ".html", ExperimentReportHtml.render(report));
        });
        files.put("campaign.json", CampaignJson.text(campaign));
        files.put("campaign.html", CampaignReportHtml.render(campaign));
        return new CampaignFiles(campaign.organization(), campaign.campaign(), files);
    }

    /** Writes the files, each beside its place then moved over it; returns the campaign's directory. */
    public Path write(CampaignFiles campaign) throws IOException {
        Path target = directory.resolve(safe(campaign.organization())).resolve(safe(campaign.campaign()));
        Files.createDirectories(target);
        for (Map.Entry<String, String> file : campaign.files().entrySet()) {
            Path path = target.resolve(file.getKey());
            Path partial = target.resolve(file.getKey() + ".partial");
            Files.writeString(partial, file.getValue(), StandardCharsets.UTF_8);
            Files.move(partial, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
        return target;
    }

    public Path directory() {
        return directory;
    }

    /** A slug or key as one directory name: never a path of its own. */
    static String safe(String name) {
        String cleaned = name.replaceAll("[/\\\\\\x00]", "_");
        return cleaned.equals(".") || cleaned.equals("..") || cleaned.isEmpty() ? "_" + cleaned : cleaned;
    }
}
