package io.paperrun.enrichment;

import static org.assertj.core.api.Assertions.assertThat;

import io.paperrun.integration.faraday.FakeFaraday;
import io.paperrun.integration.lob.FakeLob;
import io.paperrun.support.Cli;
import io.paperrun.support.DatabaseTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import mockwebserver3.MockWebServer;
import mockwebserver3.junit5.StartStop;
import okhttp3.Credentials;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.infrastructure.item.ExecutionContext;

/**
 * address-enrichment end to end through the command line (pipeline-rules §1.5 and §2), against fakes of Faraday's
 * Lookup API and Lob's US verifications that check the key and the body of every request.
 */
class AddressEnrichmentJobTest extends DatabaseTest {

    private static final String FARADAY_KEY = "fdy-live-2b7e4c91d0";
    private static final String LOB_KEY = "test_0dc8d51e0acffcb1880e0f19c79b2f5b0cc";
    private static final String HEADER = "campaign,external_id,email,first_name,last_name,address1,address2,city,"
            + "region,zip,country,status,created_at,sent_at,discount_code\n";

    @StartStop
    private final MockWebServer faradayServer = new MockWebServer();

    @StartStop
    private final MockWebServer lobServer = new MockWebServer();

    private final FakeFaraday faraday = new FakeFaraday(FARADAY_KEY, "tgt_123")
            .person(
                    "ann@example.com",
                    new FakeFaraday.Match("12 Oak Street", "Springfield", "IL", "62701", 39.78, -89.65));
    private final FakeLob lob = new FakeLob(LOB_KEY);

    @TempDir
    Path dir;

    @BeforeEach
    void providers() {
        faradayServer.setDispatcher(faraday);
        lobServer.setDispatcher(lob);
        System.setProperty("FARADAY_KEY", FARADAY_KEY);
        System.setProperty("LOB_KEY", LOB_KEY);
        System.setProperty("LOB_BETA_KEY", "test_not_betas_key");
    }

    @AfterEach
    void forgetKeys() {
        System.clearProperty("FARADAY_KEY");
        System.clearProperty("LOB_KEY");
        System.clearProperty("LOB_BETA_KEY");
    }

    private String faradaySettings() {
        return "faraday: {api_key: \"${FARADAY_KEY}\", target_id: tgt_123, base_url: \"" + faradayServer.url("/")
                + "\"}";
    }

    private String lobSettings(String key, String strictness) {
        return "lob: {api_key: \"${" + key + "}\", verify_addresses: true, strictness: " + strictness + ", base_url: \""
                + lobServer.url("/") + "\"}";
    }

    /** Applies acme with these integrations (none when empty), beta with Lob's under another key, and campaigns. */
    private void apply(String... acmeIntegrations) throws IOException {
        StringBuilder file = new StringBuilder("organizations:\n");
        file.append("  - slug: acme\n    email_domain: acmeco.com\n    sync_orders: true\n");
        if (acmeIntegrations.length > 0) {
            file.append("    integrations:\n");
            for (String integration : acmeIntegrations) {
                file.append("      ").append(integration).append('\n');
            }
        }
        file.append("  - slug: beta\n    email_domain: beta.example\n    sync_orders: true\n")
                .append("    integrations:\n      ")
                .append(lobSettings("LOB_BETA_KEY", "normal"))
                .append('\n');
        String sample = sampleApplyText();
        file.append(sample.substring(sample.indexOf("campaigns:")));
        file.append("""
                  - key: beta-spring
                    organization: beta
                    name: Beta spring
                    status: active
                    start_date: 2024-01-01
                    flow_trigger: standard
                    discount_code: BETA10
                    cost_per_piece: 0.89
                """);
        Path applyFile = dir.resolve("apply.yaml");
        Files.writeString(applyFile, file.toString());
        run(0, "apply", "-f", applyFile.toString());
    }

    /** Imports recipients, given as {@code campaign,external_id,...} rows after the header. */
    private void importRecipients(String org, String rows) throws IOException {
        Path csv = Files.createTempFile(dir, "recipients", ".csv");
        Files.writeString(csv, HEADER + rows);
        run(0, "import", "recipients", "--org", org, "--file", csv.toString());
    }

    /** A pending or holdout recipient of winback-2024 with a US address in {@code city}. */
    private static String row(String id, String status, String email, String address1, String city, String zip) {
        return String.join(
                        ",",
                        "winback-2024",
                        id,
                        email,
                        "Ann",
                        "Archer",
                        address1,
                        "",
                        city,
                        "CA",
                        zip,
                        "US",
                        status,
                        "2024-03-01T00:00:00Z",
                        "",
                        "")
                + "\n";
    }

    record Recipient(
            String status,
            String reason,
            String address1,
            String city,
            String region,
            String zip,
            String addressKey,
            String source,
            Double latitude,
            Double longitude,
            String deliverability,
            boolean enriched,
            String original) {}

    private Map<String, Recipient> recipients() {
        Map<String, Recipient> byId = new HashMap<>();
        jdbc.sql("""
                        SELECT external_id, status, suppression_reason, address1, city, region, zip, address_key,
                               address_source, latitude, longitude, deliverability, enriched_at IS NOT NULL,
                               original_address::text
                        FROM recipient
                        """).query(rs -> {
            byId.put(
                    rs.getString(1),
                    new Recipient(
                            rs.getString(2),
                            rs.getString(3),
                            rs.getString(4),
                            rs.getString(5),
                            rs.getString(6),
                            rs.getString(7),
                            rs.getString(8),
                            rs.getString(9),
                            (Double) rs.getObject(10),
                            (Double) rs.getObject(11),
                            rs.getString(12),
                            rs.getBoolean(13),
                            rs.getString(14)));
        });
        return byId;
    }

    private ExecutionContext counts(long execution) {
        StepExecution step =
                context.getBean(JobRepository.class).getJobExecution(execution).getStepExecutions().stream()
                        .filter(s -> s.getStepName().equals(AddressEnrichmentJobConfig.ENRICH_STEP))
                        .findFirst()
                        .orElseThrow();
        return step.getExecutionContext();
    }

    @ParameterizedTest
    @CsvSource({
        "strict, pending, undeliverable, undeliverable, undeliverable, undeliverable",
        "normal, pending, pending, pending, undeliverable, undeliverable",
        "relaxed, pending, pending, pending, pending, undeliverable"
    })
    void eachStrictnessAcceptsItsVerdictsAndFailsTheOthersWithTheVerdictAsReason(
            String strictness,
            String deliverable,
            String unnecessaryUnit,
            String incorrectUnit,
            String missingUnit,
            String undeliverable)
            throws IOException {
        apply(lobSettings("LOB_KEY", strictness));
        importRecipients(
                "acme",
                row("a", "pending", "a@example.com", "deliverable", "San Francisco", "94107")
                        + row("b", "pending", "b@example.com", "unnecessary unit", "San Francisco", "94107")
                        + row("c", "pending", "c@example.com", "incorrect unit", "San Francisco", "94107")
                        + row("d", "pending", "d@example.com", "missing unit", "San Francisco", "94107")
                        + row("e", "pending", "e@example.com", "undeliverable no match", "San Francisco", "94107"));

        Cli.Result result = run(0, "run", "address-enrichment");

        assertThat(result.out()).contains("address-enrichment-enrich: 5 read, 5 written");
        Map<String, Recipient> recipients = recipients();
        Map<String, String> expected = Map.of(
                "a", deliverable, "b", unnecessaryUnit, "c", incorrectUnit, "d", missingUnit, "e", undeliverable);
        Map<String, String> verdicts = Map.of(
                "a", "deliverable",
                "b", "deliverable_unnecessary_unit",
                "c", "deliverable_incorrect_unit",
                "d", "deliverable_missing_unit",
                "e", "undeliverable");
        expected.forEach((id, status) -> {
            Recipient r = recipients.get(id);
            assertThat(r.status()).as("%s at %s", id, strictness).isEqualTo(status);
            assertThat(r.deliverability()).as(id).isEqualTo(verdicts.get(id));
            assertThat(r.reason()).as(id).isEqualTo(status.equals("undeliverable") ? verdicts.get(id) : null);
            assertThat(r.enriched()).as(id).isTrue();
        });
        assertThat(lob.requests()).hasSize(5);
        lob.requests()
                .forEach(request -> assertThat(request.getHeaders().get("Authorization"))
                        .isEqualTo(Credentials.basic(LOB_KEY, "")));
        assertThat(lob.body(0).path("city").asString()).isEqualTo("San Francisco");
        assertThat(lob.body(0).path("state").asString()).isEqualTo("CA");
        assertThat(lob.body(0).path("zip_code").asString()).isEqualTo("94107");
        assertThat(counts(lastExecutionId()).getLong("enriched.verified")).isEqualTo(5);
    }

    @Test
    void aFaradayNoMatchIsSuppressedNoAddress() throws IOException {
        apply(faradaySettings(), lobSettings("LOB_KEY", "normal"));
        importRecipients("acme", row("n", "pending", "nobody@example.com", "", "", ""));

        run(0, "run", "address-enrichment");

        Recipient nobody = recipients().get("n");
        assertThat(nobody.status()).isEqualTo("suppressed");
        assertThat(nobody.reason()).isEqualTo("no_address");
        assertThat(nobody.source()).isEqualTo("import");
        assertThat(faraday.requests()).hasSize(1);
        assertThat(faraday.body(0).path("email").asString()).isEqualTo("nobody@example.com");
        assertThat(lob.requests()).isEmpty();
    }

    @Test
    void anAppendedAddressStoresItsSourceAndCoordinatesAndIsVerified() throws IOException {
        apply(faradaySettings(), lobSettings("LOB_KEY", "normal"));
        importRecipients("acme", row("ann", "pending", " Ann@Example.com ", "", "", ""));

        run(0, "run", "address-enrichment");

        Recipient ann = recipients().get("ann");
        assertThat(ann.status()).isEqualTo("pending");
        assertThat(ann.source()).isEqualTo("faraday");
        assertThat(ann.address1()).isEqualTo("12 Oak St");
        assertThat(ann.city()).isEqualTo("Springfield");
        assertThat(ann.region()).isEqualTo("IL");
        assertThat(ann.zip()).isEqualTo("62701");
        assertThat(ann.addressKey()).isEqualTo("12oakst62701");
        assertThat(ann.latitude()).isEqualTo(39.78);
        assertThat(ann.longitude()).isEqualTo(-89.65);
        assertThat(ann.deliverability()).isEqualTo("deliverable");
        assertThat(ann.original()).contains("\"address1\": null").contains("\"region\": \"CA\"");
        assertThat(faraday.requests().get(0).getHeaders().get("Authorization")).isEqualTo("Bearer " + FARADAY_KEY);
        assertThat(faraday.body(0).path("email").asString()).isEqualTo("ann@example.com");
        assertThat(lob.body(0).path("primary_line").asString()).isEqualTo("12 Oak St");
        assertThat(counts(lastExecutionId()).getLong("enriched.appended")).isEqualTo(1);
    }

    @Test
    void withNoProviderItNormalisesOnlyKeepingTheOriginalAndStillSuppressesNoAddress() throws IOException {
        apply();
        importRecipients(
                "acme",
                row("a", "pending", "a@example.com", " 34  North Elm Avenue ", "Springfield", "62702 1234")
                        + row("b", "pending", "b@example.com", "56 Pine Road", "", "")
                        + "winback-2024,c,c@example.com,,,10 Downing Street,,London,,sw1a 2aa,GB,pending,,,\n");

        Cli.Result result = run(0, "run", "address-enrichment");

        Map<String, Recipient> recipients = recipients();
        assertThat(recipients.get("a").address1()).isEqualTo("34 N Elm Ave");
        assertThat(recipients.get("a").zip()).isEqualTo("62702-1234");
        assertThat(recipients.get("a").addressKey()).isEqualTo("34nelmave62702");
        assertThat(recipients.get("a").original())
                .contains("\"address1\": \"34  North Elm Avenue\"")
                .contains("\"zip\": \"62702 1234\"");
        assertThat(recipients.get("a").status()).isEqualTo("pending");
        assertThat(recipients.get("a").deliverability()).isNull();
        assertThat(recipients.get("b").status()).isEqualTo("suppressed");
        assertThat(recipients.get("b").reason()).isEqualTo("no_address");
        assertThat(recipients.get("c").address1()).isEqualTo("10 Downing St");
        assertThat(recipients.get("c").zip()).isEqualTo("SW1A 2AA");
        assertThat(recipients.get("c").status()).isEqualTo("pending");
        assertThat(faraday.requests()).isEmpty();
        assertThat(lob.requests()).isEmpty();
        ExecutionContext counts = counts(lastExecutionId());
        assertThat(counts.getLong("enriched.pending")).isEqualTo(2);
        assertThat(counts.getLong("enriched.suppressed")).isEqualTo(1);
        assertThat(result.out()).contains("address-enrichment-enrich: 3 read, 3 written");
    }

    @Test
    void holdoutsAreEnrichedAndVerifiedLikePendingOnesAndKeepTheirStatus() throws IOException {
        apply(faradaySettings(), lobSettings("LOB_KEY", "strict"));
        String[][] cases = {
            {"deliverable", "x@example.com", "deliverable"},
            {"missing unit", "x@example.com", "missing unit"},
            {"none", "nobody@example.com", ""},
            {"appended", "ann@example.com", ""}
        };
        StringBuilder rows = new StringBuilder();
        for (String[] c : cases) {
            rows.append(row("p-" + c[0], "pending", c[1], c[2], "San Francisco", "94107"));
            rows.append(row("h-" + c[0], "holdout", c[1], c[2], "San Francisco", "94107"));
        }
        importRecipients("acme", rows.toString());

        run(0, "run", "address-enrichment");

        Map<String, Recipient> recipients = recipients();
        for (String[] c : cases) {
            Recipient pending = recipients.get("p-" + c[0]);
            Recipient holdout = recipients.get("h-" + c[0]);
            String kept = pending.status().equals("pending") ? "holdout" : pending.status();
            assertThat(holdout)
                    .as(c[0])
                    .isEqualTo(new Recipient(
                            kept,
                            pending.reason(),
                            pending.address1(),
                            pending.city(),
                            pending.region(),
                            pending.zip(),
                            pending.addressKey(),
                            pending.source(),
                            pending.latitude(),
                            pending.longitude(),
                            pending.deliverability(),
                            true,
                            pending.original()));
        }
        assertThat(recipients.get("h-deliverable").status()).isEqualTo("holdout");
        assertThat(recipients.get("h-missing unit").status()).isEqualTo("undeliverable");
        assertThat(recipients.get("h-none").status()).isEqualTo("suppressed");
        assertThat(recipients.get("h-appended").source()).isEqualTo("faraday");
        assertThat(faraday.requests()).hasSize(4);
        assertThat(lob.requests()).hasSize(6);
    }

    @Test
    void anOutageLeavesItsChunkUntouchedAndTheRerunEnrichesEachRecipientOnce() throws IOException {
        apply(lobSettings("LOB_KEY", "normal"));
        StringBuilder rows = new StringBuilder();
        for (int i = 0; i < 150; i++) {
            rows.append(row(String.format("r%03d", i), "pending", "", i + " Main Street", "Springfield", "62701"));
        }
        importRecipients("acme", rows.toString());
        // Lob answers the first chunk's 100 and one more, then fails past the retries.
        lob.failAfter(101, 503);

        Cli.Result failed = run(1, "run", "address-enrichment");

        assertThat(failed.err())
                .contains("address-enrichment: execution ")
                .contains(" FAILED: acme (lob): POST " + lobServer.url("/v1/us_verifications"))
                .contains("gave up after 4 attempts, last status 503");
        Map<String, Recipient> recipients = recipients();
        assertThat(recipients.values().stream().filter(Recipient::enriched)).hasSize(100);
        for (int i = 100; i < 150; i++) {
            Recipient untouched = recipients.get(String.format("r%03d", i));
            assertThat(untouched.enriched()).isFalse();
            assertThat(untouched.address1()).isEqualTo(i + " Main Street");
            assertThat(untouched.deliverability()).isNull();
            assertThat(untouched.original()).isNull();
        }

        lob.recover();
        Cli.Result rerun = run(0, "run", "address-enrichment");

        // A new run (a failed one is left for 'restart'): it reads only the recipients not enriched yet.
        assertThat(rerun.out()).doesNotContain("restarted").contains("address-enrichment-enrich: 50 read");
        assertThat(recipients().values())
                .allSatisfy(r -> assertThat(r.enriched()).isTrue())
                .allSatisfy(r -> assertThat(r.deliverability()).isEqualTo("deliverable"));
        // The first chunk's addresses were not verified again; the failed chunk's were, its first one twice (its
        // first answer was rolled back with the chunk).
        List<String> answered = lob.answered();
        assertThat(answered.subList(0, 101)).doesNotHaveDuplicates().endsWith("100 Main St");
        assertThat(answered.subList(101, answered.size()))
                .containsExactlyElementsOf(
                        IntStream.range(100, 150).mapToObj(i -> i + " Main St").toList());
        int asked = lob.requests().size();
        assertThat(run(0, "run", "address-enrichment").out()).contains("address-enrichment-enrich: 0 read");
        assertThat(lob.requests()).hasSize(asked);
    }

    @Test
    void aRefusedKeyFailsItsOrganizationAloneInOneLine() throws IOException {
        apply();
        importRecipients("acme", row("a", "pending", "a@example.com", "1 Main Street", "Springfield", "62701"));
        importRecipients(
                "beta",
                row("b", "pending", "b@example.com", "2 Main Street", "Springfield", "62701")
                        .replace("winback-2024", "beta-spring"));

        Cli.Result result = run(1, "run", "address-enrichment");

        assertThat(result.err().lines().findFirst().orElseThrow())
                .startsWith("address-enrichment: execution " + lastExecutionId() + " FAILED: beta (lob): POST "
                        + lobServer.url("/v1/us_verifications") + ": status 401, Lob refused the API key "
                        + "(integrations.lob.api_key): unauthorized");
        assertThat(result.err()).doesNotContain("test_not_betas_key").doesNotContain("\tat ");
        assertThat(lob.requests()).hasSize(1);
        assertThat(recipients().get("a").enriched()).isTrue();
        assertThat(recipients().get("b").enriched()).isFalse();
        assertThat(recipients().get("b").address1()).isEqualTo("2 Main Street");
    }

    @Test
    void orgLimitsTheRunToThatOrganization() throws IOException {
        apply();
        importRecipients("acme", row("a", "pending", "a@example.com", "1 Main Street", "Springfield", "62701"));
        importRecipients(
                "beta",
                row("b", "pending", "b@example.com", "2 Main Street", "Springfield", "62701")
                        .replace("winback-2024", "beta-spring"));

        run(0, "run", "address-enrichment", "org=acme");

        assertThat(recipients().get("a").enriched()).isTrue();
        assertThat(recipients().get("b").enriched()).isFalse();
        assertThat(lob.requests()).isEmpty();
    }
}
