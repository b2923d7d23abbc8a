package io.paperrun.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.paperrun.support.DatabaseTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A time given to a fraction of a microsecond is truncated before it is stored: it stays on its side of a day,
 * a BFCM cutoff and an export's range, where PostgreSQL alone would round it into the next.
 */
class SubMicrosecondTimesCliTest extends DatabaseTest {

    @TempDir
    Path dir;

    @Test
    void anOrderAFractionOfAMicrosecondBeforeTheBfcmCutoffEndsStaysWithinItAndWithinTheExportsRange()
            throws IOException {
        sampleMatchback();
        // bfcm-2024 ends on 30 November: its cutoff is 2 December, the last day an order passes.
        String header = Files.readAllLines(Path.of(EXAMPLES + "orders.csv")).get(0);
        Path file = Files.writeString(
                dir.resolve("edge.csv"),
                header + "\n" + "3002,2024-12-02T23:59:59.9999996Z,lou@example.com,30.00,USD,,,,,,,,\n");
        run(0, "import", "orders", "--org", "acme", "--file", file.toString());
        run(0, "run", "attribution-processing");

        String row = "3002,2024-12-02T23:59:59.999999Z,30.00,bfcm-2024,bf-001,lou@example.com,email,false,true,2,false";
        assertThat(run(
                                0,
                                "export",
                                "attributions",
                                "--org",
                                "acme",
                                "--from",
                                "2024-12-02",
                                "--to",
                                "2024-12-03",
                                "--out",
                                "-")
                        .out()
                        .lines())
                .contains(row);
        assertThat(run(0, "export", "attributions", "--org", "acme", "--from", "2024-12-03", "--out", "-")
                        .out())
                .doesNotContain("3002,");
    }
}
