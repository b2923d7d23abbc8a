package io.paperrun.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.paperrun.support.Cli;
import io.paperrun.support.DatabaseTest;
import org.junit.jupiter.api.Test;

/** The README's demo, command by command, on the sample files. */
class DemoFlowCliTest extends DatabaseTest {

    @Test
    void matchbackOnTheSampleFilesAttributesAsTheRulesSay() {
        Cli cli = cli();
        Cli.Result apply = cli.run("apply", "-f", EXAMPLES + "acme.yaml");
        assertThat(apply.exitCode()).as(apply.toString()).isZero();
        Cli.Result recipients = cli.run("import", "recipients", "--org", "acme", "--file", EXAMPLES + "recipients.csv");
        assertThat(recipients.exitCode()).as(recipients.toString()).isZero();
        assertThat(recipients.out()).contains("14 imported, 0 rejected");
        Cli.Result doNotMail =
                cli.run("import", "do-not-mail", "--org", "acme", "--file", EXAMPLES + "do-not-mail.csv");
        assertThat(doNotMail.exitCode()).as(doNotMail.toString()).isZero();
        Cli.Result audience = cli.run("import", "recipients", "--org", "acme", "--file", EXAMPLES + "audience.csv");
        assertThat(audience.exitCode()).as(audience.toString()).isZero();
        assertThat(audience.out())
                .contains("7 imported, 0 rejected")
                .contains("new people (no status): 6 created (0 held out, 2 suppressed), 1 already in their campaign");
        Cli.Result spring =
                cli.run("import", "recipients", "--org", "acme", "--file", EXAMPLES + "spring-audience.csv");
        assertThat(spring.exitCode()).as(spring.toString()).isZero();
        assertThat(spring.out()).contains("6 imported, 0 rejected");
        Cli.Result enrichment = cli.run("run", "address-enrichment");
        assertThat(enrichment.exitCode()).as(enrichment.toString()).isZero();
        Cli.Result proofing = cli.run("run", "proofing");
        assertThat(proofing.exitCode()).as(proofing.toString()).isZero();
        Cli.Result mailing = cli.run("run", "mailing");
        assertThat(mailing.exitCode()).as(mailing.toString()).isZero();
        Cli.Result tracking = cli.run("run", "delivery-tracking");
        assertThat(tracking.exitCode()).as(tracking.toString()).isZero();
        Cli.Result postcards =
                cli.run("export", "recipients", "--org", "acme", "--campaign", "spring-2025", "--out", "-");
        assertThat(postcards.exitCode()).as(postcards.toString()).isZero();
        // campaign, external_id, status, holdout, printer, provider_piece_id, cost, discount code, proof, preview
        assertThat(postcards
                        .out()
                        .lines()
                        .skip(1)
                        .map(line -> line.split(",", -1))
                        .map(f -> f[1] + " " + f[12] + " " + f[14] + " " + f[17] + " " + f[18].replaceAll("\\d", "9")
                                + " " + f[19] + " " + f[22].replaceAll("SPR-[A-Z0-9]{6}", "SPR-code") + " "
                                + f[23].replaceAll("\\d+\\.pdf", "N.pdf") + " "
                                + f[25].replaceAll("\\d+-front\\.png", "N-front.png"))
                        .toList())
                .as(mailing.out())
                .containsExactly(
                        "sp-001 sent false print_file pf-99 0.89 SPR-code proofs/acme/spring-2025/N.pdf "
                                + "proofs/acme/spring-2025/N-front.png",
                        "sp-002 sent false print_file pf-99 0.89 SPR-code proofs/acme/spring-2025/N.pdf "
                                + "proofs/acme/spring-2025/N-front.png",
                        "sp-003 sent false print_file pf-99 0.89 SPR-code proofs/acme/spring-2025/N.pdf "
                                + "proofs/acme/spring-2025/N-front.png",
                        "sp-004 sent false print_file pf-99 0.89 SPR-code proofs/acme/spring-2025/N.pdf "
                                + "proofs/acme/spring-2025/N-front.png",
                        "sp-005 sent false print_file pf-99 0.89 SPR-code proofs/acme/spring-2025/N.pdf "
                                + "proofs/acme/spring-2025/N-front.png",
                        "sp-006 sent false print_file pf-99 0.89 SPR-code proofs/acme/spring-2025/N.pdf "
                                + "proofs/acme/spring-2025/N-front.png");
        assertThat(proofing.out()).contains("6 proofed");
        assertThat(mailing.out()).contains("postcards: 6 sent").contains("acme/spring-2025: 6 postcards in ");
        Cli.Result orders = cli.run("import", "orders", "--org", "acme", "--file", EXAMPLES + "orders.csv");
        assertThat(orders.exitCode()).as(orders.toString()).isZero();
        assertThat(orders.out()).contains("19 imported, 0 rejected").contains("15 matched, 1 internal, 1 blacklisted");
        Cli.Result processing = cli.run("run", "attribution-processing");
        assertThat(processing.exitCode()).as(processing.toString()).isZero();
        Cli.Result export = cli.run("export", "attributions", "--org", "acme", "--out", "-");
        assertThat(export.exitCode()).as(export.toString()).isZero();
        assertThat(export.out()).isEqualTo("""
                order_id,order_created_at,order_value,campaign,recipient_external_id,recipient_email,method,holdout,passes_rules,order_count,archived
                1009,2024-01-06T09:00:00Z,40.00,winback-2024,wb-005,eve@example.com,email,false,false,1,false
                1001,2024-01-10T15:00:00Z,59.90,winback-2024,wb-001,ann@example.com,email,false,true,1,false
                1002,2024-01-12T10:30:00Z,120.00,winback-2024,wb-002,bob@example.com,physical_address,false,true,1,false
                1003,2024-01-15T18:45:00Z,45.00,winback-2024,,,discount_code,false,true,1,false
                1004,2024-01-20T11:00:00Z,80.00,winback-2024,wb-006,fay@example.com,email,true,true,1,false
                1008,2024-01-24T09:00:00Z,0.00,winback-2024,wb-004,dan@example.com,email,false,false,1,false
                1011,2024-02-10T12:00:00Z,95.00,welcome-2024,wl-001,ivy@example.com,discount_code,false,true,1,false
                1012,2024-02-11T12:00:00Z,50.00,welcome-2024,wl-003,kim@example.com,discount_code,false,true,1,false
                1013,2024-02-12T12:00:00Z,70.00,welcome-2024,wl-002,jay@example.com,email,false,true,1,false
                1010,2024-04-20T09:00:00Z,65.00,winback-2024,wb-001,ann@example.com,email,false,true,2,false
                1014,2024-11-20T12:00:00Z,150.00,bfcm-2024,bf-001,lou@example.com,email,false,true,1,false
                1017,2024-11-28T12:00:00Z,85.00,bfcm-2024,bf-003,ned@example.com,email,false,true,1,false
                1016,2024-11-29T12:00:00Z,60.00,bfcm-2024,,,discount_code,false,true,1,false
                1015,2024-12-05T12:00:00Z,110.00,bfcm-2024,bf-002,max@example.com,email,false,false,1,false
                1018,2024-12-20T12:00:00Z,45.00,bfcm-2024,bf-003,ned@example.com,email,false,false,2,false
                """);

        // The new people without a status: suppressed by the do-not-mail list (email, address), created pending
        // (or held out), the one without an address suppressed by enrichment, the one already there skipped.
        Cli.Result people =
                cli.run("export", "recipients", "--org", "acme", "--campaign", "winback-2024", "--out", "-");
        assertThat(people.exitCode()).as(people.toString()).isZero();
        assertThat(people.out()
                        .lines()
                        .filter(line -> line.contains(",wb-1"))
                        .map(line -> line.split(",", -1))
                        .map(f -> f[1] + " " + f[12] + " " + f[13])
                        .toList())
                .containsExactly(
                        "wb-101 pending ",
                        "wb-102 pending ",
                        "wb-103 pending ",
                        "wb-104 suppressed do_not_mail",
                        "wb-105 suppressed do_not_mail",
                        "wb-106 suppressed no_address");

        // The holdout analysis of winback-2024: six mailed (two bought, three orders), two held out (one bought).
        Cli.Result experiment = cli.run(
                "report",
                "experiment",
                "--org",
                "acme",
                "--campaign",
                "winback-2024",
                "--format",
                "json",
                "--out",
                "-");
        assertThat(experiment.exitCode()).as(experiment.toString()).isZero();
        assertThat(experiment.out().replaceAll("\\s", ""))
                .contains("\"experiment\":{\"recipients\":6,\"conversions\":2,\"orders\":3,\"revenue\":244.90,")
                .contains("\"control\":{\"recipients\":2,\"conversions\":1,\"orders\":1,\"revenue\":80.00,")
                .contains("\"total_cost\":5.34");
        assertThat(experiment.err()).contains("Mailed customers");
        Cli.Result finance = cli.run(
                "report", "finance", "--org", "acme", "--from", "2024-01-01", "--to", "2026-01-01", "--out", "-");
        assertThat(finance.exitCode()).as(finance.toString()).isZero();
        assertThat(finance.out()).isEqualTo("""
                        campaign,month,currency,orders,revenue,holdout_orders,holdout_revenue
                        bfcm-2024,2024-11,USD,3,295.00,0,0
                        welcome-2024,2024-02,USD,3,215.00,0,0
                        winback-2024,2024-01,USD,3,224.90,1,80.00
                        winback-2024,2024-04,USD,1,65.00,0,0
                        """);
        Cli.Result reports = cli.run("run", "experiment-report");
        assertThat(reports.exitCode()).as(reports.toString()).isZero();
        assertThat(reports.out()).contains("reports of 2 campaigns written under ");

        // Importing the same files again changes nothing and exits 0.
        Cli.Result again = cli.run("import", "orders", "--org", "acme", "--file", EXAMPLES + "orders.csv");
        assertThat(again.exitCode()).as(again.toString()).isZero();
        assertThat(again.out())
                .contains("already completed")
                .contains("0 imported, 0 rejected (this file was imported already: 19 imported, 0 rejected)")
                .containsPattern("its last run, execution \\d+: 19 read, 19 new");
        assertThat(count("customer_order")).isEqualTo(19);
        assertThat(count("attribution")).isEqualTo(15);
    }
}
