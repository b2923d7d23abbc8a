package io.paperrun.proofing;

import static io.paperrun.proofing.ProofingFixture.HEADER;
import static io.paperrun.proofing.ProofingFixture.applyFile;
import static io.paperrun.proofing.ProofingFixture.campaign;
import static io.paperrun.proofing.ProofingFixture.row;
import static org.assertj.core.api.Assertions.assertThat;

import io.paperrun.support.Cli;
import io.paperrun.support.DatabaseTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code import codes}: a campaign's pool of unique discount codes, bad rows rejected with file, line and reason. */
class CodeImportTest extends DatabaseTest {

    @TempDir
    Path dir;

    @BeforeEach
    void campaigns() throws IOException {
        ProofingFixture.design(dir);
        run(
                0,
                "apply",
                "-f",
                applyFile(
                                dir,
                                "",
                                campaign("winback", "front.html", "    use_unique_discount: true\n"),
                                campaign("spring", "front.html", "    use_unique_discount: true\n"))
                        .toString());
    }

    private Path file(String name, String content) throws IOException {
        Path csv = dir.resolve(name);
        Files.writeString(csv, content);
        return csv;
    }

    private Cli.Result importCodes(int exit, String campaign, Path file) {
        return run(exit, "import", "codes", "--org", "acme", "--campaign", campaign, "--file", file.toString());
    }

    private List<String> pool(String campaign) {
        return jdbc.sql("SELECT p.code FROM discount_code_pool p JOIN campaign c ON c.id = p.campaign_id "
                        + "WHERE c.key = ? ORDER BY p.id")
                .param(campaign)
                .query(String.class)
                .list();
    }

    @Test
    void aGoodFileFillsThePoolAndImportingItAgainChangesNothing() throws IOException {
        Path codes = file("codes.csv", "Code,note\nWB-1, first\nwb-2,second\nWB-3,third\n");

        Cli.Result first = importCodes(0, "winback", codes);

        assertThat(first.out()).contains("3 imported, 0 rejected");
        assertThat(first.err()).contains("unknown column(s) ignored: note");
        assertThat(pool("winback")).containsExactly("WB-1", "wb-2", "WB-3");

        Cli.Result again = importCodes(0, "winback", codes);
        assertThat(again.out()).contains("0 imported, 0 rejected (this file was imported already");
        assertThat(pool("winback")).hasSize(3);

        Cli.Result overlapping = importCodes(0, "winback", file("more.csv", "code\nWB-2\nwb-3\nWB-4\n"));
        assertThat(overlapping.out()).contains("3 imported, 0 rejected");
        assertThat(pool("winback")).containsExactly("WB-1", "wb-2", "WB-3", "WB-4");
    }

    @Test
    void badRowsAreRejectedWithFileLineAndReasonAndTheOthersImported() throws IOException {
        run(
                0,
                "import",
                "recipients",
                "--org",
                "acme",
                "--file",
                file("r.csv", HEADER + row("spring", "r1", "", "HELD-1")).toString());
        importCodes(0, "spring", file("spring.csv", "code\nSPRING-1\n"));
        Path codes =
                file("bad.csv", "code\nGOOD-1\n\"\"\n" + "X".repeat(65) + "\nHAS SPACE\nheld-1\nspring-1\nGOOD-2\n");

        Cli.Result result = importCodes(2, "winback", codes);

        assertThat(result.out()).contains("2 imported, 5 rejected");
        assertThat(result.err())
                .contains("rejected " + codes + ":3: code is blank")
                .contains("rejected " + codes + ":4: code is longer than 64 characters (65)")
                .contains("rejected " + codes + ":5: code 'HAS SPACE' has a space or a control character in it")
                .contains("rejected " + codes + ":6: code held-1 is already a recipient's code in this organization")
                .contains("rejected " + codes + ":7: code spring-1 is already in another campaign's pool");
        assertThat(pool("winback")).containsExactly("GOOD-1", "GOOD-2");
    }

    @Test
    void anUnknownCampaignOrOrganizationIsRefusedInOneLine() throws IOException {
        Path codes = file("codes.csv", "code\nA-1\n");

        Cli.Result campaign = importCodes(2, "nope", codes);
        assertThat(campaign.err().strip())
                .isEqualTo(
                        "paperrun import: unknown campaign 'nope' of organization 'acme'; declare it with paperrun apply");

        Cli.Result org =
                run(2, "import", "codes", "--org", "nobody", "--campaign", "winback", "--file", codes.toString());
        assertThat(org.err()).contains("unknown organization 'nobody'");
        assertThat(count("discount_code_pool")).isZero();
    }

    @Test
    void aFileWithoutTheCodeColumnChangesNothing() throws IOException {
        Cli.Result result = importCodes(2, "winback", file("codes.csv", "coupon\nA-1\n"));

        assertThat(result.err()).contains("lacks required column(s) code").contains("nothing was imported");
        assertThat(count("discount_code_pool")).isZero();
    }

    @Test
    void theHelpSaysTheColumnAndTheRules() {
        assertThat(run(0, "import", "codes", "--help").out())
                .contains("--campaign=KEY")
                .contains("Column: code")
                .contains("Rejected rows are listed; exit");
    }
}
