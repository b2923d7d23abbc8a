package io.paperrun.proofing;

import static io.paperrun.proofing.ProofingFixture.HEADER;
import static io.paperrun.proofing.ProofingFixture.applyFile;
import static io.paperrun.proofing.ProofingFixture.campaign;
import static io.paperrun.proofing.ProofingFixture.pending;
import static io.paperrun.proofing.ProofingFixture.row;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import io.paperrun.integration.cloudflare.FakeCloudflareImages;
import io.paperrun.support.Cli;
import io.paperrun.support.DatabaseTest;
import io.paperrun.support.InjectedFailure;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import mockwebserver3.MockWebServer;
import mockwebserver3.junit5.StartStop;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * proofing end to end through the command line (pipeline-rules §3): statuses, files, unique codes, failures and
 * restarts, against the embedded PostgreSQL and the real renderer.
 */
class ProofingJobTest extends DatabaseTest {

    @TempDir
    Path dir;

    @StartStop
    private final MockWebServer cloudflareServer = new MockWebServer();

    private final FakeCloudflareImages cloudflare = new FakeCloudflareImages("acct-123", "cf-token-5e2b");

    @BeforeEach
    void design() throws IOException {
        ProofingFixture.photoDesign(dir);
        cloudflareServer.setDispatcher(cloudflare);
    }

    @AfterEach
    void dropTriggers() {
        InjectedFailure.dropAll(jdbc);
        System.clearProperty("CF_TOKEN");
    }

    private void apply(String... campaigns) throws IOException {
        run(0, "apply", "-f", applyFile(dir, "", campaigns).toString());
    }

    private void importRecipients(String rows) throws IOException {
        Path csv = Files.createTempFile(dir, "recipients", ".csv");
        Files.writeString(csv, HEADER + rows);
        run(0, "import", "recipients", "--org", "acme", "--file", csv.toString());
    }

    private Cli.Result importCodes(int exit, String campaign, String content) throws IOException {
        Path csv = Files.createTempFile(dir, "codes", ".csv");
        Files.writeString(csv, content);
        return run(exit, "import", "codes", "--org", "acme", "--campaign", campaign, "--file", csv.toString());
    }

    private String status(String externalId) {
        return jdbc.sql("SELECT status FROM recipient WHERE external_id = ?")
                .param(externalId)
                .query(String.class)
                .single();
    }

    private Map<String, Object> recipient(String externalId) {
        return jdbc.sql("SELECT * FROM recipient WHERE external_id = ?")
                .param(externalId)
                .query()
                .singleRow();
    }

    @Test
    void proofsTheEnrichedPendingRecipientsAndLeavesHoldoutsAndTheUnenrichedAlone() throws Exception {
        apply(campaign("winback", "front.html", ""));
        importRecipients(pending("winback", "p", 3) + row("winback", "h1", "holdout", ""));
        run(0, "run", "address-enrichment");
        importRecipients(pending("winback", "late", 2));

        Cli.Result result = run(0, "run", "proofing");

        assertThat(result.out())
                .contains("proofing-proof: 3 read, 3 written")
                .contains("proofs: 3 proofed, 0 failed")
                .contains("acme/winback: 3 proofed, 0 failed, 2 waiting for address-enrichment")
                .contains("2 pending recipients wait for address-enrichment");
        for (String id : List.of("p1", "p2", "p3")) {
            Map<String, Object> r = recipient(id);
            assertThat(r.get("status")).isEqualTo("proofed");
            assertThat(r.get("proofed_at")).isNotNull();
            String pdf = "proofs/acme/winback/" + r.get("id") + ".pdf";
            assertThat(r.get("proof_front")).isEqualTo(pdf);
            assertThat(r.get("proof_back")).isEqualTo(pdf);
            assertThat(r.get("preview")).isEqualTo("proofs/acme/winback/" + r.get("id") + "-front.png");
            try (PDDocument document =
                    Loader.loadPDF(DATA_DIRECTORY.resolve(pdf).toFile())) {
                assertThat(document.getNumberOfPages()).isEqualTo(2);
                // 4x6 plus 0.125 in of bleed on every side: 6.25 x 4.25 in.
                assertThat(document.getPage(0).getMediaBox().getWidth()).isCloseTo(450f, offset(0.5f));
            }
            assertThat(Files.readAllBytes(DATA_DIRECTORY.resolve((String) r.get("preview"))))
                    .startsWith((byte) 0x89, (byte) 'P', (byte) 'N', (byte) 'G');
        }
        assertThat(recipient("h1").get("status")).isEqualTo("holdout");
        assertThat(recipient("h1").get("proof_front")).isNull();
        assertThat(status("late1")).isEqualTo("pending");
        assertThat(status("late2")).isEqualTo("pending");

        Cli.Result again = run(0, "run", "proofing");
        assertThat(again.out()).contains("proofs: 0 proofed, 0 failed");

        String export =
                run(0, "export", "recipients", "--org", "acme", "--out", "-").out();
        long p1 = (Long) recipient("p1").get("id");
        assertThat(export)
                .contains(",proofs/acme/winback/" + p1 + ".pdf,proofs/acme/winback/" + p1 + ".pdf,proofs/acme/winback/"
                        + p1 + "-front.png\n");
    }

    @Test
    void aRecipientWhoseProofCannotBeRenderedFailsWithTheReasonAndTheOthersGoOn() throws Exception {
        apply(campaign("winback", "photo-front.html", ""));
        Files.write(dir.resolve("photos/p1.png"), png());
        Files.write(dir.resolve("photos/p3.png"), png());
        importRecipients(pending("winback", "p", 3));
        run(0, "run", "address-enrichment");

        Cli.Result result = run(0, "run", "proofing");

        assertThat(result.out()).contains("acme/winback: 2 proofed, 1 failed");
        assertThat(status("p1")).isEqualTo("proofed");
        assertThat(status("p3")).isEqualTo("proofed");
        assertThat(status("p2")).isEqualTo("failed");
        assertThat((String) recipient("p2").get("suppression_reason")).contains("photos/p2.png");
        assertThat(run(0, "export", "recipients", "--org", "acme", "--out", "-").out())
                .containsPattern("winback,p2,.*,failed,[^,]*photos/p2.png");
    }

    @Test
    void generatedCodesHaveThePrefixAndLengthAndAreUniqueAndARecipientKeepsItsOwn() throws Exception {
        apply(campaign("winback", "front.html", "    unique_codes: {generate: true, prefix: WB-, length: 6}\n"));
        importRecipients(pending("winback", "p", 40) + row("winback", "own", "", "MINE-1"));
        run(0, "run", "address-enrichment");

        run(0, "run", "proofing");

        List<String> codes = jdbc.sql("SELECT discount_code FROM recipient WHERE external_id <> 'own'")
                .query(String.class)
                .list();
        assertThat(codes).hasSize(40).doesNotHaveDuplicates().allMatch(c -> c.matches("WB-[2-9A-HJ-NP-Z]{6}"));
        assertThat(recipient("own").get("discount_code")).isEqualTo("MINE-1");
        assertThat(jdbc.sql("SELECT count(*) FROM recipient WHERE discount_code_upper = upper(discount_code)")
                        .query(Long.class)
                        .single())
                .isEqualTo(41);
        assertThat(status("p40")).isEqualTo("proofed");
    }

    @Test
    void poolCodesGoOnceEachAndAnEmptyPoolFailsTheRecipientAndALowPoolIsReported() throws Exception {
        apply(campaign("winback", "front.html", "    use_unique_discount: true\n"));
        importCodes(0, "winback", "code\nPOOL-A\nPOOL-B\nPOOL-C\n");
        importRecipients(pending("winback", "p", 4));
        run(0, "run", "address-enrichment");

        Cli.Result result = run(0, "run", "proofing");

        assertThat(List.of(status("p1"), status("p2"), status("p3"))).containsOnly("proofed");
        assertThat(List.of(
                        recipient("p1").get("discount_code"),
                        recipient("p2").get("discount_code"),
                        recipient("p3").get("discount_code")))
                .containsExactly("POOL-A", "POOL-B", "POOL-C");
        assertThat(status("p4")).isEqualTo("failed");
        assertThat(recipient("p4").get("suppression_reason")).isEqualTo("no unique code left in the pool");
        assertThat(recipient("p4").get("discount_code")).isNull();
        assertThat(jdbc.sql(
                                "SELECT count(DISTINCT recipient_id) FROM discount_code_pool WHERE recipient_id IS NOT NULL")
                        .query(Long.class)
                        .single())
                .isEqualTo(3);
        assertThat(result.out())
                .contains("acme/winback: 3 proofed, 1 failed, 0 waiting for address-enrichment, "
                        + "0 unique codes left in the pool")
                .contains("campaign acme/winback: 0 unique codes left in the pool (fewer than 100)");
    }

    @Test
    void aRestartAfterAFailureInTheMiddleProofsEachRecipientOnceAndGivesNoCodeTwice() throws Exception {
        apply(campaign("winback", "front.html", "    use_unique_discount: true\n"));
        StringBuilder codes = new StringBuilder("code\n");
        for (int i = 1; i <= 150; i++) {
            codes.append("C-").append(i).append('\n');
        }
        importCodes(0, "winback", codes.toString());
        importRecipients(pending("winback", "p", 120));
        run(0, "run", "address-enrichment");
        long failing = jdbc.sql("SELECT min(id) + 110 FROM recipient")
                .query(Long.class)
                .single();

        try (InjectedFailure failure =
                InjectedFailure.on(jdbc, "recipient", "UPDATE", "NEW.status = 'proofed' AND NEW.id = " + failing)) {
            Cli.Result failed = run(1, "run", "proofing");
            assertThat(failed.err()).contains(InjectedFailure.MESSAGE).contains("paperrun restart");
        }
        // The first chunk committed; the second was rolled back whole, its pool codes with it.
        assertThat(count("recipient WHERE status = 'proofed'")).isEqualTo(100);
        assertThat(count("recipient WHERE status = 'pending'")).isEqualTo(20);
        assertThat(count("discount_code_pool WHERE recipient_id IS NOT NULL")).isEqualTo(100);
        List<Object> firstProofs = jdbc.sql("SELECT proofed_at FROM recipient WHERE status = 'proofed' ORDER BY id")
                .query((rs, i) -> rs.getObject(1))
                .list();

        run(0, "restart", String.valueOf(lastExecutionId()));

        assertThat(count("recipient WHERE status = 'proofed'")).isEqualTo(120);
        assertThat(jdbc.sql("SELECT proofed_at FROM recipient WHERE status = 'proofed' ORDER BY id LIMIT 100")
                        .query((rs, i) -> rs.getObject(1))
                        .list())
                .isEqualTo(firstProofs);
        assertThat(count("discount_code_pool WHERE recipient_id IS NOT NULL")).isEqualTo(120);
        assertThat(jdbc.sql("SELECT count(DISTINCT discount_code_upper) FROM recipient")
                        .query(Long.class)
                        .single())
                .isEqualTo(120);
        assertThat(count("recipient r JOIN discount_code_pool p ON p.recipient_id = r.id "
                        + "WHERE p.code = r.discount_code"))
                .isEqualTo(120);
    }

    @Test
    void withCloudflareImagesThePreviewIsItsFirstVariantAndThePdfStaysLocal() throws Exception {
        System.setProperty("CF_TOKEN", "cf-token-5e2b");
        String integration = "      cloudflare_images: {account_id: acct-123, api_token: \"${CF_TOKEN}\", base_url: \""
                + cloudflareServer.url("/") + "\"}\n";
        run(
                0,
                "apply",
                "-f",
                applyFile(dir, integration, campaign("winback", "front.html", ""))
                        .toString());
        importRecipients(pending("winback", "p", 2));
        run(0, "run", "address-enrichment");

        run(0, "run", "proofing");

        Map<String, Object> r = recipient("p1");
        String id = "paperrun-acme-winback-" + r.get("id") + "-front";
        assertThat(r.get("preview")).isEqualTo(FakeCloudflareImages.variant(id));
        assertThat(r.get("proof_front")).isEqualTo("proofs/acme/winback/" + r.get("id") + ".pdf");
        assertThat(DATA_DIRECTORY.resolve((String) r.get("proof_front"))).exists();
        assertThat(cloudflare.images()).hasSize(2).containsKey(id);
    }

    private static byte[] png() throws IOException {
        BufferedImage image = new BufferedImage(4, 4, BufferedImage.TYPE_INT_RGB);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }
}
