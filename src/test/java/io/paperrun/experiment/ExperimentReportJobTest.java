package io.paperrun.experiment;

import static org.assertj.core.api.Assertions.assertThat;

import io.paperrun.support.Cli;
import io.paperrun.support.DatabaseTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.util.FileSystemUtils;

/**
 * experiment-report: every campaign that holds recipients out gets its reports, the same as the commands write;
 * a failed run restarts from the campaign after the last one written.
 */
class ExperimentReportJobTest extends DatabaseTest {

    private static final Path REPORTS = DATA_DIRECTORY.resolve("reports");

    @BeforeEach
    void sample() throws IOException {
        FileSystemUtils.deleteRecursively(REPORTS);
        applySample();
        importSampleRecipients();
        importSampleOrders();
        run(0, "run", "attribution-processing");
    }

    @Test
    void everyHoldoutCampaignGetsItsReportsAsTheCommandsWriteThem() throws IOException {
        Cli.Result result = run(0, "run", "experiment-report");
        assertThat(result.out())
                .contains("reports of 2 campaigns written under " + REPORTS.toAbsolutePath() + " (ORG/CAMPAIGN/)");
        Path winback = REPORTS.resolve("acme").resolve("winback-2024");
        assertThat(names(winback))
                .containsExactly(
                        "campaign.html",
                        "campaign.json",
                        "experiment-all_orders.csv",
                        "experiment-all_orders.html",
                        "experiment-all_orders.json",
                        "experiment-first_order.csv",
                        "experiment-first_order.html",
                        "experiment-first_order.json");
        assertThat(REPORTS.resolve("acme").resolve("spring-2025")).isDirectory();
        assertThat(REPORTS.resolve("acme")).isDirectoryNotContaining("glob:**/welcome-2024");
        for (String metric : new String[] {"all_orders", "first_order"}) {
            for (String format : new String[] {"json", "csv"}) {
                String command = run(
                                0,
                                "report",
                                "experiment",
                                "--org",
                                "acme",
                                "--campaign",
                                "winback-2024",
                                "--metric",
                                metric,
                                "--format",
                                format,
                                "--out",
                                "-")
                        .out();
                assertThat(winback.resolve("experiment-" + metric + "." + format))
                        .hasContent(command);
            }
        }
        assertThat(Files.readString(winback.resolve("experiment-all_orders.html")))
                .startsWith("<!DOCTYPE html>");
        // org= names an organization that must exist
        assertThat(run(2, "run", "experiment-report", "org=nobody").err()).contains("unknown organization 'nobody'");
    }

    @Test
    void aFailedRunRestartsFromTheCampaignAfterTheLastOneWritten() throws IOException {
        // spring-2025's directory cannot be made: a file stands in its place
        Files.createDirectories(REPORTS.resolve("acme"));
        Path blocker = Files.writeString(REPORTS.resolve("acme").resolve("spring-2025"), "in the way");
        Cli.Result failed = run(1, "run", "experiment-report");
        assertThat(failed.err()).contains("paperrun restart");
        Path winbackJson = REPORTS.resolve("acme").resolve("winback-2024").resolve("experiment-all_orders.json");
        assertThat(winbackJson).exists();
        Files.writeString(winbackJson, "written before the failure");

        Files.delete(blocker);
        run(0, "restart", String.valueOf(lastExecutionId()));
        assertThat(winbackJson).hasContent("written before the failure"); // not written twice
        assertThat(REPORTS.resolve("acme").resolve("spring-2025").resolve("experiment-all_orders.json"))
                .exists();
    }

    private static java.util.List<String> names(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
