package io.paperrun.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.paperrun.support.Cli;
import io.paperrun.support.ScenarioTest;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.cfg.JsonNodeFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The reports of a seeded campaign, through the real commands, against numbers worked out here by hand: ten
 * mailed recipients (three buy: 100 then 50, 30, 20) and five held out (one buys 40), at 1.00 a piece.
 */
class ReportsScenarioTest extends ScenarioTest {

    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
            .build();

    @BeforeEach
    void seed() {
        apply("""
                organizations:
                  - slug: shop
                    name: Shop
                campaigns:
                  - key: spring
                    organization: shop
                    name: Spring
                    status: active
                    start_date: 2024-03-01
                    flow_trigger: standard
                    holdout: { enabled: true, percentage: 30 }
                    cost_per_piece: 1.00
                  - key: plain
                    organization: shop
                    name: No holdout
                    status: active
                    start_date: 2024-03-01
                    cost_per_piece: 0.50
                """);
        StringBuilder recipients = new StringBuilder("campaign,external_id,email,first_name,last_name,address1,city,"
                + "region,zip,country,status,created_at,sent_at\n");
        for (int i = 1; i <= 10; i++) {
            recipients
                    .append("spring,e")
                    .append(i)
                    .append(",e")
                    .append(i)
                    .append("@example.com,E,")
                    .append(i)
                    .append(',')
                    .append(i)
                    .append(" Main St,Springfield,IL,6270")
                    .append(i % 10)
                    .append(",US,sent,2024-03-01T00:00:00Z,2024-03-03T00:00:00Z\n");
        }
        for (int i = 1; i <= 5; i++) {
            recipients
                    .append("spring,h")
                    .append(i)
                    .append(",h")
                    .append(i)
                    .append("@example.com,H,")
                    .append(i)
                    .append(',')
                    .append(i)
                    .append(" Oak St,Springfield,IL,6271")
                    .append(i)
                    .append(",US,holdout,2024-03-01T00:00:00Z,\n");
        }
        recipients.append(
                "spring,p1,p1@example.com,P,1,1 Pine St,Springfield,IL,62720,US,," + "2024-03-01T00:00:00Z,\n");
        importRecipients("shop", recipients.toString());
        importOrders("shop", """
                order_id,created_at,email,total,currency
                1,2024-03-05T10:00:00Z,e1@example.com,100.00,USD
                2,2024-04-10T10:00:00Z,e1@example.com,50.00,USD
                3,2024-03-06T10:00:00Z,e2@example.com,30.00,USD
                4,2024-03-12T10:00:00Z,e3@example.com,20.00,USD
                5,2024-03-07T10:00:00Z,h1@example.com,40.00,USD
                6,2024-03-08T10:00:00Z,nobody@example.com,99.00,USD
                """);
        run(0, "run", "attribution-processing");
    }

    @Test
    void theExperimentsJsonHasTheNumbersWorkedOutByHand() {
        JsonNode all = json("report", "experiment", "--org", "shop", "--campaign", "spring", "--format", "json");
        assertThat(run(
                                0,
                                "report",
                                "experiment",
                                "--org",
                                "shop",
                                "--campaign",
                                "spring",
                                "--format",
                                "json",
                                "--out",
                                "-")
                        .err())
                .as("the verdict, and p1 still pending, said on stderr")
                .contains("Mailed customers bought 1.5× as often")
                .contains("still in progress");
        assertThat(all.get("campaign").asString()).isEqualTo("spring");
        assertThat(all.get("metric").asString()).isEqualTo("all_orders");
        assertThat(all.get("alpha").asDouble()).isEqualTo(0.05);
        assertGroup(all.get("experiment"), 10, 3, 4, "200.00", 0.3);
        assertGroup(all.get("control"), 5, 1, 1, "40.00", 0.2);
        assertThat(all.get("uplift").asDouble()).isCloseTo(0.5, within(1e-12));
        // pooled p = 4/15, se = sqrt(p(1-p)(1/5 + 1/10)), z = 0.1 / se; Φ from scipy.stats.norm.cdf
        double p = 4.0 / 15;
        double z = 0.1 / Math.sqrt(p * (1 - p) * (1.0 / 5 + 1.0 / 10));
        assertThat(all.get("z_score").asDouble()).isCloseTo(z, within(1e-12));
        assertThat(all.get("p_value").asDouble()).isCloseTo(0.3398540771742464, within(1e-9));
        assertThat(all.get("win_probability").asDouble()).isCloseTo(0.6601459228257536, within(1e-9));
        assertThat(all.get("significant").asBoolean()).isFalse();
        assertThat(all.get("winner").asString()).isEqualTo("experiment");
        assertThat(all.get("total_cost").decimalValue()).isEqualByComparingTo("10.00");
        // (200/10 - 40/5) × 10 = 120; / 10.00 = 12; (4/10 - 1/5) × 10 = 2; 10.00 / 2 = 5
        assertThat(all.get("incremental_revenue").decimalValue()).isEqualByComparingTo("120.00");
        assertThat(all.get("incremental_roas").asDouble()).isCloseTo(12.0, within(1e-9));
        assertThat(all.get("incremental_customers").asDouble()).isCloseTo(2.0, within(1e-9));
        assertThat(all.get("cac").decimalValue()).isEqualByComparingTo("5.00");
        // the control share 5/15 against the campaign's 30%
        assertThat(all.at("/sample_ratio/expected_control_share").asDouble()).isEqualTo(0.3);
        assertThat(all.at("/sample_ratio/observed_control_share").asDouble()).isCloseTo(1.0 / 3, within(1e-12));
        assertThat(all.at("/sample_ratio/mismatch").asBoolean()).isFalse();
        // revenue per recipient: 20.00 and 8.00, recipients without an order counting as 0
        assertThat(all.at("/revenue_test/mean_experiment").asDouble()).isCloseTo(20.0, within(1e-9));
        assertThat(all.at("/revenue_test/mean_control").asDouble()).isCloseTo(8.0, within(1e-9));
        assertThat(all.at("/lift_interval/level").asDouble()).isEqualTo(0.95);
        assertThat(all.at("/lift_interval/absolute").size()).isEqualTo(2);

        JsonNode first = json(
                "report",
                "experiment",
                "--org",
                "shop",
                "--campaign",
                "spring",
                "--metric",
                "first_order",
                "--format",
                "json");
        assertThat(first.get("metric").asString()).isEqualTo("first_order");
        // e1's second order (order_count 2) is not counted: 150.00 in 3 orders
        assertGroup(first.get("experiment"), 10, 3, 3, "150.00", 0.3);
        assertGroup(first.get("control"), 5, 1, 1, "40.00", 0.2);
        // (15 - 8) × 10 = 70; (3/10 - 1/5) × 10 = 1; 10.00 / 1 = 10
        assertThat(first.get("incremental_revenue").decimalValue()).isEqualByComparingTo("70.00");
        assertThat(first.get("incremental_customers").asDouble()).isCloseTo(1.0, within(1e-9));
        assertThat(first.get("cac").decimalValue()).isEqualByComparingTo("10.00");
    }

    @Test
    void theJsonHasExactlyTheFieldsOfTheInterfaceSpecWithTheirTypes() throws IOException {
        Path interfaceSpec = Path.of("../shared/spec/interface.md");
        assumeTrue(Files.isRegularFile(interfaceSpec), interfaceSpec + " is not beside the project");
        String spec = Files.readString(interfaceSpec);
        Matcher block = Pattern.compile(
                        "## `report experiment --format json`\\s+```json\\n(.*?)```\\n.*?```json\\n(.*?)```",
                        Pattern.DOTALL)
                .matcher(spec);
        assertThat(block.find()).as("the interface's JSON examples").isTrue();
        JsonNode seed = JSON.readTree(block.group(1));
        JsonNode beyond = JSON.readTree("{" + block.group(2) + "}");
        Map<String, String> expected = new TreeMap<>();
        shapes("", seed, expected);
        shapes("", beyond, expected);

        JsonNode report = json("report", "experiment", "--org", "shop", "--campaign", "spring", "--format", "json");
        Map<String, String> actual = new TreeMap<>();
        shapes("", report, actual);
        assertThat(actual).isEqualTo(expected);
        List<String> order = new ArrayList<>();
        report.propertyNames().forEach(order::add);
        List<String> specOrder = new ArrayList<>();
        seed.propertyNames().forEach(specOrder::add);
        beyond.propertyNames().forEach(specOrder::add);
        assertThat(order).isEqualTo(specOrder);
    }

    @Test
    void undefinedValuesAreNullAndTheCsvCarriesTheSameFields() {
        // A campaign holding no one out has no experiment; one whose control never bought has no uplift.
        Cli.Result none = run(
                2, "report", "experiment", "--org", "shop", "--campaign", "plain", "--format", "json", "--out", "-");
        assertThat(none.err()).startsWith("paperrun report experiment: campaign 'plain' holds no one out");
        jdbc.sql("UPDATE attribution SET archived = true WHERE holdout").update();
        JsonNode report = json("report", "experiment", "--org", "shop", "--campaign", "spring", "--format", "json");
        assertThat(report.at("/control/conversion_rate").asDouble()).isZero();
        assertThat(report.get("uplift").isNull()).isTrue();
        assertThat(report.at("/lift_interval/relative").isNull()).isTrue();

        List<String> csv = run(
                        0,
                        "report",
                        "experiment",
                        "--org",
                        "shop",
                        "--campaign",
                        "spring",
                        "--format",
                        "csv",
                        "--out",
                        "-")
                .out()
                .lines()
                .toList();
        assertThat(csv).hasSize(2);
        Map<String, String> row = new java.util.LinkedHashMap<>();
        String[] names = csv.get(0).split(",", -1);
        String[] values = csv.get(1).split(",", -1);
        assertThat(values).hasSameSizeAs(names);
        for (int i = 0; i < names.length; i++) {
            row.put(names[i], values[i]);
        }
        assertThat(row)
                .containsEntry("campaign", "spring")
                .containsEntry("experiment_recipients", "10")
                .containsEntry("experiment_revenue", "200.00")
                .containsEntry("control_revenue", "0.00")
                .containsEntry("uplift", "")
                .containsEntry("lift_interval_relative_low", "")
                .containsEntry("sample_ratio_mismatch", "false")
                .containsEntry("mde_power", "0.8");
    }

    @Test
    void theCampaignReportCountsTheFunnelCostAndRevenueByMethodAndWeek() {
        JsonNode report = json("report", "campaign", "--org", "shop", "--campaign", "spring", "--format", "json");
        assertThat(report.get("funnel").toString())
                .isEqualTo("[{\"stage\":\"audience\",\"reason\":null,\"recipients\":16},"
                        + "{\"stage\":\"holdout\",\"reason\":null,\"recipients\":5},"
                        + "{\"stage\":\"pending\",\"reason\":null,\"recipients\":1},"
                        + "{\"stage\":\"sent\",\"reason\":null,\"recipients\":10}]");
        assertThat(report.get("mailed").asLong()).isEqualTo(10);
        assertThat(report.get("cost").decimalValue()).isEqualByComparingTo("10.00");
        assertThat(report.get("orders").asLong()).isEqualTo(4);
        assertThat(report.get("revenue").decimalValue()).isEqualByComparingTo("200.00");
        assertThat(report.get("roas").asDouble()).isEqualTo(20.0);
        assertThat(report.at("/control/orders").asLong()).isEqualTo(1);
        assertThat(report.at("/control/revenue").decimalValue()).isEqualByComparingTo("40.00");
        // sent 2024-03-03: orders on days 2, 3 and 9 (weeks 0, 0, 1), and day 38 (week 5)
        assertThat(report.get("by_week").toString())
                .isEqualTo("[{\"week\":0,\"orders\":2,\"revenue\":130.00},{\"week\":1,\"orders\":1,\"revenue\":20.00},"
                        + "{\"week\":5,\"orders\":1,\"revenue\":50.00}]");
        assertThat(report.get("by_method").toString())
                .isEqualTo("[{\"method\":\"email\",\"group\":\"experiment\",\"orders\":4,\"revenue\":200.00},"
                        + "{\"method\":\"email\",\"group\":\"control\",\"orders\":1,\"revenue\":40.00}]");
        // An order not decided yet by attribution-processing is said, not counted.
        importOrders(
                "shop", "order_id,created_at,email,total,currency\n7,2024-03-09T10:00:00Z,e4@example.com,5.00,USD\n");
        Cli.Result pending =
                run(0, "report", "campaign", "--org", "shop", "--campaign", "spring", "--format", "json", "--out", "-");
        assertThat(pending.err())
                .contains("note: 1 attribution is not processed yet and not counted; run 'paperrun run "
                        + "attribution-processing'");
        assertThat(JSON.readTree(pending.out()).get("unprocessed_attributions").asLong())
                .isEqualTo(1);
        assertThat(run(
                                0,
                                "report",
                                "finance",
                                "--org",
                                "shop",
                                "--from",
                                "2024-03-01",
                                "--to",
                                "2024-04-01",
                                "--out",
                                "-")
                        .err())
                .contains("note: 1 attribution is not processed yet");
        assertThat(run(2, "report", "campaign", "--org", "shop", "--campaign", "nope", "--format", "json", "--out", "-")
                        .err())
                .isEqualTo("paperrun report campaign: unknown campaign 'nope' of 'shop'\n");
        Cli.Result csv =
                run(2, "report", "campaign", "--org", "shop", "--campaign", "spring", "--format", "csv", "--out", "-");
        assertThat(csv.err()).startsWith("paperrun report campaign: --format: csv is not one of json, html");
        assertThat(csv.out()).isEmpty();
    }

    @Test
    void financeAgreesToTheCentWithTheExportForTheSameDates() {
        List<String> finance = run(
                        0,
                        "report",
                        "finance",
                        "--org",
                        "shop",
                        "--from",
                        "2024-03-01",
                        "--to",
                        "2024-05-01",
                        "--out",
                        "-")
                .out()
                .lines()
                .toList();
        assertThat(finance)
                .containsExactly(
                        "campaign,month,currency,orders,revenue,holdout_orders,holdout_revenue",
                        "spring,2024-03,USD,3,150.00,1,40.00",
                        "spring,2024-04,USD,1,50.00,0,0");
        // The export's passing, unarchived rows for the same dates, summed by campaign and month.
        Map<String, BigDecimal> fromExport = new TreeMap<>();
        Map<String, BigDecimal> fromFinance = new TreeMap<>();
        List<String> export = run(
                        0,
                        "export",
                        "attributions",
                        "--org",
                        "shop",
                        "--from",
                        "2024-03-01",
                        "--to",
                        "2024-05-01",
                        "--out",
                        "-")
                .out()
                .lines()
                .toList();
        for (String line : export.subList(1, export.size())) {
            String[] f = line.split(",", -1);
            if (f[8].equals("true") && f[10].equals("false")) {
                String key = f[3] + " " + f[1].substring(0, 7) + " " + f[7];
                fromExport.merge(key, new BigDecimal(f[2]), BigDecimal::add);
            }
        }
        for (String line : finance.subList(1, finance.size())) {
            String[] f = line.split(",", -1);
            fromFinance.merge(f[0] + " " + f[1] + " false", new BigDecimal(f[4]), BigDecimal::add);
            if (!f[5].equals("0")) {
                fromFinance.merge(f[0] + " " + f[1] + " true", new BigDecimal(f[6]), BigDecimal::add);
            }
        }
        assertThat(fromFinance).isEqualTo(fromExport);
        // A narrower range leaves April out; --from must come before --to.
        assertThat(run(
                                0,
                                "report",
                                "finance",
                                "--org",
                                "shop",
                                "--from",
                                "2024-03-01",
                                "--to",
                                "2024-04-01",
                                "--out",
                                "-")
                        .out())
                .isEqualTo("campaign,month,currency,orders,revenue,holdout_orders,holdout_revenue\n"
                        + "spring,2024-03,USD,3,150.00,1,40.00\n");
        assertThat(run(
                                2,
                                "report",
                                "finance",
                                "--org",
                                "shop",
                                "--from",
                                "2024-04-01",
                                "--to",
                                "2024-04-01",
                                "--out",
                                "-")
                        .err())
                .isEqualTo("paperrun report finance: --from 2024-04-01 must be before --to 2024-04-01\n");
    }

    @Test
    void theFinanceQueryFinanceRunsAgreesWithTheReport() throws IOException {
        String sql = Files.readString(Path.of("sql/finance/attributed_revenue_by_campaign_month.sql"))
                .replace(":'org'", "'shop'")
                .replace(":'from'", "'2024-03-01'")
                .replace(":'to'", "'2024-05-01'");
        List<String> rows = jdbc.sql(sql)
                .query((rs, i) -> rs.getString("campaign") + "," + rs.getString("month") + ","
                        + rs.getString("currency") + "," + rs.getLong("orders") + ","
                        + rs.getBigDecimal("revenue").toPlainString() + "," + rs.getLong("holdout_orders") + ","
                        + rs.getBigDecimal("holdout_revenue").toPlainString())
                .list();
        assertThat(rows).containsExactly("spring,2024-03,USD,3,150.00,1,40.00", "spring,2024-04,USD,1,50.00,0,0");
    }

    private JsonNode json(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--out");
        all.add("-");
        return JSON.readTree(run(0, all.toArray(String[]::new)).out());
    }

    private static void assertGroup(
            JsonNode group, long recipients, long conversions, long orders, String revenue, double rate) {
        assertThat(group.get("recipients").asLong()).isEqualTo(recipients);
        assertThat(group.get("conversions").asLong()).isEqualTo(conversions);
        assertThat(group.get("orders").asLong()).isEqualTo(orders);
        assertThat(group.get("revenue").decimalValue()).isEqualByComparingTo(revenue);
        assertThat(group.get("revenue").toString()).isEqualTo(revenue); // to the cent, as written
        assertThat(group.get("conversion_rate").asDouble()).isCloseTo(rate, within(1e-12));
    }

    /** Each field's path and kind: number, string, boolean, array or object; a number may be null. */
    private static void shapes(String prefix, JsonNode node, Map<String, String> out) {
        for (Map.Entry<String, JsonNode> field : node.properties()) {
            String path = prefix + "/" + field.getKey();
            JsonNode value = field.getValue();
            if (value.isObject()) {
                out.put(path, "object");
                shapes(path, value, out);
            } else {
                out.put(
                        path,
                        value.isNumber() || value.isNull()
                                ? "number"
                                : value.getNodeType().toString());
            }
        }
    }
}
