package io.paperrun.recipient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.paperrun.enrichment.AddressKey;
import io.paperrun.support.DatabaseTest;
import io.paperrun.support.InjectedFailure;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * pipeline-rules.md §1 through {@code import recipients} rows without a status, which are created as recipient-sync
 * creates recipients: one per person per campaign, suppression first, then the holdout assignment, else pending.
 */
class RecipientCreationRulesTest extends DatabaseTest {

    private static final String HEADER = "campaign,external_id,email,address1,city,zip,country,status,sent_at\n";

    @TempDir
    Path dir;

    @Test
    void onePersonPerCampaignByExternalIdOrEmailAndASecondSyncChangesNoOneAlreadyThere() throws IOException {
        apply(null, "0");
        importRecipients(HEADER + "spring,p1,ann@example.com,1 Oak St,Town,10001,US,,\n");
        importRecipients(HEADER
                + "spring,p1,other@example.com,9 Elm St,Town,10001,US,,\n" // same external id
                + "spring,p2, ANN@example.com ,9 Elm St,Town,10001,US,,\n" // same email
                + "spring,p3,bob@example.com,2 Oak St,Town,10001,US,,\n"
                + "spring,p4,bob@example.com,2 Oak St,Town,10001,US,,\n"); // same email, same file
        assertThat(rows("SELECT external_id || ' ' || email || ' ' || address1 FROM recipient ORDER BY 1"))
                .containsExactly("p1 ann@example.com 1 Oak St", "p3 bob@example.com 2 Oak St");
    }

    @Test
    void suppressionDoNotMailByEmailByItsSha256AndByAddress() throws IOException {
        apply(null, "0");
        long org = organizationId();
        listDoNotMail(org, "email", "ann@example.com");
        listDoNotMail(org, "email_sha256", sha256Hex("bob@example.com"));
        listDoNotMail(org, "address", AddressKey.of("3 Oak St", null, "10001", "US"));
        importRecipients(HEADER
                + "spring,p1,Ann@Example.com,1 Oak St,Town,10001,US,,\n"
                + "spring,p2,bob@example.com,2 Oak St,Town,10001,US,,\n"
                + "spring,p3,cat@example.com,3 oak st,Town,10001,US,,\n"
                + "spring,p4,dan@example.com,4 Oak St,Town,10001,US,,\n");
        assertThat(statuses())
                .containsExactly(
                        "p1 suppressed do_not_mail",
                        "p2 suppressed do_not_mail",
                        "p3 suppressed do_not_mail",
                        "p4 pending");
    }

    @Test
    void suppressionReturnedWhenAPostcardToTheAddressCameBack() throws IOException {
        apply(null, "0");
        importRecipients(HEADER + "spring,old,old@example.com,5 Oak St,Town,10001,US,sent,2024-01-01T00:00:00Z\n");
        jdbc.sql("UPDATE recipient SET delivery_status = 'returned_to_sender' WHERE external_id = 'old'")
                .update();
        importRecipients(HEADER + "summer,p1,new@example.com,5 Oak St,Town,10001,US,,\n");
        assertThat(statuses()).contains("p1 suppressed returned");
    }

    @Test
    void suppressionFrequencyCapWithinTheOrganizationsMinimumDaysByEmailOrAddress() throws IOException {
        apply("45", "0");
        String recently =
                java.time.Instant.now().minus(java.time.Duration.ofDays(10)).toString();
        String longAgo =
                java.time.Instant.now().minus(java.time.Duration.ofDays(60)).toString();
        importRecipients(HEADER
                + "spring,s1,ann@example.com,1 Oak St,Town,10001,US,sent," + recently + "\n"
                + "spring,s2,bob@example.com,2 Oak St,Town,10001,US,sent," + recently + "\n"
                + "spring,s3,cat@example.com,3 Oak St,Town,10001,US,sent," + longAgo + "\n");
        importRecipients(HEADER
                + "summer,p1,ann@example.com,8 Elm St,Town,10001,US,,\n" // same email, mailed 10 days ago
                + "summer,p2,new@example.com,2 Oak St,Town,10001,US,,\n" // same address
                + "summer,p3,cat@example.com,3 Oak St,Town,10001,US,,\n"); // mailed 60 days ago
        assertThat(statuses()).contains("p1 suppressed frequency_cap", "p2 suppressed frequency_cap", "p3 pending");
    }

    @Test
    void suppressionReasonsApplyInOrderDoNotMailThenReturnedThenFrequencyCap() throws IOException {
        apply("45", "0");
        String recently =
                java.time.Instant.now().minus(java.time.Duration.ofDays(10)).toString();
        importRecipients(HEADER + "spring,s1,ann@example.com,1 Oak St,Town,10001,US,sent," + recently + "\n");
        jdbc.sql("UPDATE recipient SET delivery_status = 'returned_to_sender'").update();
        importRecipients(HEADER + "summer,p1,bob@example.com,1 Oak St,Town,10001,US,,\n");
        listDoNotMail(organizationId(), "email", "cat@example.com");
        importRecipients(HEADER + "summer,p2,cat@example.com,1 Oak St,Town,10001,US,,\n");
        assertThat(statuses()).contains("p1 suppressed returned", "p2 suppressed do_not_mail");
    }

    @Test
    void holdoutAssignmentOverOneHundredThousandRecipientsKeepsTheShareAndTheSamePeopleOnARerun() throws IOException {
        apply(null, "10");
        run(
                0,
                "import",
                "recipients",
                "--org",
                "acme",
                "--file",
                synthetic(0, 100_000, "spring").toString());
        Map<String, Long> counts = statusCounts();
        assertThat(counts.get("holdout") / 1000.0).isCloseTo(10.0, within(0.5));
        assertThat(counts.get("holdout") + counts.get("pending")).isEqualTo(100_000);
        // Held out iff the rule says so.
        List<String> held = rows("SELECT email FROM recipient WHERE status = 'holdout' ORDER BY email");
        assertThat(held)
                .allSatisfy(email -> assertThat(
                                HoldoutAssignment.inShare(HoldoutAssignment.draw("spring", email), BigDecimal.TEN))
                        .isTrue());

        // A re-run from scratch of some of the same people, listed in another order: the same are held out.
        emptyTables();
        apply(null, "10");
        run(
                0,
                "import",
                "recipients",
                "--org",
                "acme",
                "--file",
                synthetic(90_000, 100_000, "spring").toString());
        assertThat(rows("SELECT email FROM recipient WHERE status = 'holdout' ORDER BY email"))
                .isEqualTo(held.stream()
                        .filter(email -> Integer.parseInt(email.replaceAll("\\D", "")) >= 90_000)
                        .toList());
    }

    @Test
    void holdoutAssignmentTheSamePeopleAreHeldOutAfterAKillAndARestartUpToTheMaximum() throws IOException {
        applyWithMaximum("10", "150");
        Path file = synthetic(0, 3000, "spring");
        long failed;
        try (InjectedFailure ignored =
                InjectedFailure.on(jdbc, "recipient", "INSERT", "NEW.external_id = 'person-2500'")) {
            run(1, "import", "recipients", "--org", "acme", "--file", file.toString());
            failed = lastExecutionId();
        }
        assertThat(count("recipient")).isEqualTo(2000);
        run(0, "restart", String.valueOf(failed));
        // The first 150 people in the file that the rule holds out, in the order they were created.
        List<String> expected = new java.util.ArrayList<>();
        for (int i = 0; i < 3000 && expected.size() < 150; i++) {
            if (HoldoutAssignment.inShare(
                    HoldoutAssignment.draw("spring", "person" + i + "@example.com"), BigDecimal.TEN)) {
                expected.add("person" + i + "@example.com");
            }
        }
        assertThat(rows("SELECT email FROM recipient WHERE status = 'holdout'"))
                .containsExactlyInAnyOrderElementsOf(expected);
        assertThat(count("recipient")).isEqualTo(3000);
    }

    @Test
    void holdoutAssignmentStopsExactlyAtTheAbsoluteMaximumInTheOrderRecipientsAreCreated() throws IOException {
        applyWithMaximum("10", "50");
        run(
                0,
                "import",
                "recipients",
                "--org",
                "acme",
                "--file",
                synthetic(0, 3000, "spring").toString());
        assertThat(statusCounts().get("holdout")).isEqualTo(50);
        // A later sync adds no more holdouts.
        run(
                0,
                "import",
                "recipients",
                "--org",
                "acme",
                "--file",
                synthetic(0, 6000, "spring").toString());
        assertThat(statusCounts().get("holdout")).isEqualTo(50);
        assertThat(statusCounts().get("pending")).isEqualTo(6000 - 50);
    }

    @Test
    void suppressionBeforeAssignmentBothGroupsLosePeopleAlike() throws IOException {
        apply(null, "50");
        long org = organizationId();
        // Every fifth person is on the do-not-mail list.
        StringBuilder list = new StringBuilder("INSERT INTO do_not_mail (organization_id, kind, value) VALUES ");
        for (int i = 0; i < 20_000; i += 5) {
            list.append(i == 0 ? "" : ",")
                    .append("(")
                    .append(org)
                    .append(",'email','person")
                    .append(i)
                    .append("@example.com')");
        }
        jdbc.sql(list.toString()).update();
        run(
                0,
                "import",
                "recipients",
                "--org",
                "acme",
                "--file",
                synthetic(0, 20_000, "spring").toString());
        // Whom the rule would hold out, had nobody been suppressed, and how many of them were suppressed.
        long wouldHold = 0, wouldHoldSuppressed = 0, wouldMail = 0, wouldMailSuppressed = 0;
        Map<String, String> status = jdbc
                .sql("SELECT email, status FROM recipient")
                .query((rs, i) -> Map.entry(rs.getString(1), rs.getString(2)))
                .list()
                .stream()
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
        for (Map.Entry<String, String> e : status.entrySet()) {
            boolean held =
                    HoldoutAssignment.inShare(HoldoutAssignment.draw("spring", e.getKey()), new BigDecimal("50"));
            boolean suppressed = e.getValue().equals("suppressed");
            if (held) {
                wouldHold++;
                wouldHoldSuppressed += suppressed ? 1 : 0;
                assertThat(e.getValue()).isIn("holdout", "suppressed");
            } else {
                wouldMail++;
                wouldMailSuppressed += suppressed ? 1 : 0;
                assertThat(e.getValue()).isIn("pending", "suppressed");
            }
        }
        assertThat((double) wouldHoldSuppressed / wouldHold).isCloseTo(0.2, within(0.02));
        assertThat((double) wouldMailSuppressed / wouldMail).isCloseTo(0.2, within(0.02));
        assertThat(statusCounts().get("suppressed")).isEqualTo(4000);
    }

    private void apply(String minDays, String holdoutPercentage) throws IOException {
        write(minDays, holdoutPercentage, null);
    }

    private void applyWithMaximum(String holdoutPercentage, String maximum) throws IOException {
        write(null, holdoutPercentage, maximum);
    }

    private void write(String minDays, String holdoutPercentage, String maximum) throws IOException {
        Path file = dir.resolve("apply.yaml");
        String holdout = holdoutPercentage.equals("0")
                ? "{enabled: false}"
                : "{enabled: true, percentage: " + holdoutPercentage
                        + (maximum == null ? "" : ", absolute_maximum: " + maximum) + "}";
        Files.writeString(file, """
                organizations:
                  - slug: acme
                %s
                campaigns:
                  - {key: spring, organization: acme, status: active, holdout: %s}
                  - {key: summer, organization: acme, status: active, holdout: %s}
                """.formatted(
                        minDays == null ? "" : "    suppression: {min_days_between_mailings: " + minDays + "}",
                        holdout,
                        holdout));
        run(0, "apply", "-f", file.toString());
    }

    /** People {@code from} (inclusive) to {@code to}, listed last first when {@code from > 0}. */
    private Path synthetic(int from, int to, String campaign) throws IOException {
        StringBuilder csv = new StringBuilder(HEADER);
        for (int n = from; n < to; n++) {
            int i = from > 0 ? to - 1 - (n - from) : n;
            csv.append(campaign)
                    .append(",person-")
                    .append(i)
                    .append(",person")
                    .append(i)
                    .append("@example.com,")
                    .append(i)
                    .append(" Main St,Town,10001,US,,\n");
        }
        Path file = dir.resolve("synthetic-" + from + "-" + to + "-" + System.nanoTime() + ".csv");
        Files.writeString(file, csv);
        return file;
    }

    private void importRecipients(String csv) throws IOException {
        Path file = dir.resolve("r" + System.nanoTime() + ".csv");
        Files.writeString(file, csv);
        run(0, "import", "recipients", "--org", "acme", "--file", file.toString());
    }

    private void listDoNotMail(long org, String kind, String value) {
        jdbc.sql("INSERT INTO do_not_mail (organization_id, kind, value) VALUES (?, ?, ?)")
                .params(org, kind, value)
                .update();
    }

    private long organizationId() {
        return jdbc.sql("SELECT id FROM organization WHERE slug = 'acme'")
                .query(Long.class)
                .single();
    }

    private List<String> statuses() {
        return rows("SELECT external_id || ' ' || status || coalesce(' ' || suppression_reason, '') FROM recipient "
                + "ORDER BY external_id");
    }

    private Map<String, Long> statusCounts() {
        Map<String, Long> counts = new java.util.HashMap<>(Map.of("holdout", 0L, "pending", 0L, "suppressed", 0L));
        jdbc.sql("SELECT status, count(*) FROM recipient GROUP BY status").query(rs -> {
            counts.put(rs.getString(1), rs.getLong(2));
        });
        return counts;
    }

    private static String sha256Hex(String text) {
        try {
            return java.util.HexFormat.of()
                    .formatHex(java.security.MessageDigest.getInstance("SHA-256")
                            .digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private List<String> rows(String sql) {
        return jdbc.sql(sql).query(String.class).list();
    }
}
