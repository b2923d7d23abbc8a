package io.paperrun.bench;

import io.paperrun.enrichment.AddressKey;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.SplittableRandom;

/**
 * A deterministic synthetic organization for the benchmark: an apply file with
 * five campaigns (one with a holdout, one with unique codes, one BFCM), N mailed
 * recipients, and M orders with realistic match rates: about 25% by email, 8% by
 * address only (the address written differently), 4% by discount code, 1%
 * internal, a few blacklisted, some holdout customers, the rest unmatched.
 * Files are streamed to disk; the same seed, N and M always give the same bytes.
 */
final class SyntheticMerchant {

    static final String ORG = "bench";
    private static final String[] CAMPAIGNS = {"spring", "holdout", "welcome", "bfcm", "summer"};
    private static final Instant[] FIRST_SEND = {Instant.parse("2024-03-04T10:00:00Z"),
            Instant.parse("2024-04-01T10:00:00Z"), Instant.parse("2024-05-06T10:00:00Z"),
            Instant.parse("2024-11-04T10:00:00Z"), Instant.parse("2024-06-03T10:00:00Z")};

    private final int recipients;
    private final int orders;
    private final long seed;

    SyntheticMerchant(int recipients, int orders, long seed) {
        this.recipients = recipients;
        this.orders = orders;
        this.seed = seed;
    }

    Path applyFile(Path dir) throws IOException {
        return Files.writeString(dir.resolve("apply.yaml"), """
                organizations:
                  - slug: bench
                    name: Bench Co
                    email_domain: benchco.com
                    order_blacklist: { discount_code_contains: [wholesale] }
                campaigns:
                  - { key: spring, organization: bench, status: active, start_date: 2024-03-01, discount_code: SPRING10 }
                  - { key: holdout, organization: bench, status: active, start_date: 2024-04-01,
                      holdout: { enabled: true, percentage: 10, absolute_maximum: 1000000 } }
                  - { key: welcome, organization: bench, status: completed, start_date: 2024-05-01,
                      flow_trigger: first_purchase, use_unique_discount: true }
                  - { key: bfcm, organization: bench, status: active, start_date: 2024-11-01, end_date: 2024-11-30,
                      flow_trigger: bfcm, discount_code: BFCM25 }
                  - { key: summer, organization: bench, status: paused, start_date: 2024-06-01 }
                """);
    }

    /** Recipient i: campaign i % 5, created two days before its send, 10% of the holdout campaign held out. */
    Path recipientsFile(Path dir) throws IOException {
        Path file = dir.resolve("recipients.csv");
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            out.write("campaign,external_id,email,first_name,last_name,address1,address2,city,region,zip,country,"
                    + "status,created_at,sent_at,discount_code\n");
            for (int i = 0; i < recipients; i++) {
                int c = i % CAMPAIGNS.length;
                boolean holdout = c == 1 && (i / CAMPAIGNS.length) % 10 == 0;
                Instant sent = sentAt(i);
                out.write(CAMPAIGNS[c] + ",r" + i + "," + email(i) + ",First,Last," + street(i) + " Main Street,,"
                        + "Springfield,IL," + zip(i) + ",US," + (holdout ? "holdout" : "sent") + ","
                        + sent.minus(Duration.ofDays(2)) + "," + (holdout ? "" : sent.toString()) + ","
                        + (c == 2 ? "WELCOME-" + i : "") + "\n");
            }
        }
        return file;
    }

    /**
     * Orders, and beside them the floor's copy (order id, time, email, total, codes, address key: the
     * address key precomputed here with the product's {@link AddressKey}, so that the floor is PostgreSQL
     * alone from the COPY on).
     */
    Path[] ordersFiles(Path dir) throws IOException {
        Path file = dir.resolve("orders.csv");
        Path floor = dir.resolve("orders-floor.csv");
        SplittableRandom random = new SplittableRandom(seed);
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
             BufferedWriter floorOut = Files.newBufferedWriter(floor, StandardCharsets.UTF_8)) {
            out.write("order_id,created_at,email,total,currency,discount_codes,shipping_address1,shipping_address2,"
                    + "shipping_city,shipping_region,shipping_zip,shipping_country,active_subscription_start_date\n");
            for (int j = 0; j < orders; j++) {
                int r = random.nextInt(recipients);
                double kind = random.nextDouble();
                String email;
                String address;
                String zip;
                String codes = "";
                if (kind < 0.25) {
                    email = " " + email(r).toUpperCase() + " ";
                    address = street(r) + " Main St.";
                    zip = zip(r);
                } else if (kind < 0.33) {
                    email = "other" + j + "@gmail.com";
                    address = street(r) + " MAIN STREET";
                    zip = zip(r) + "-1234";
                } else if (kind < 0.37) {
                    email = "code" + j + "@gmail.com";
                    address = j + " Elm Road";
                    zip = "99999";
                    codes = r % CAMPAIGNS.length == 2 ? "welcome-" + r : (r % 2 == 0 ? "SPRING10" : "bfcm25");
                } else if (kind < 0.38) {
                    email = "staff" + j + "@benchco.com";
                    address = street(r) + " Main Street";
                    zip = zip(r);
                } else if (kind < 0.383) {
                    email = email(r);
                    address = street(r) + " Main Street";
                    zip = zip(r);
                    codes = "WHOLESALE-" + (j % 7);
                } else {
                    email = "shopper" + j + "@gmail.com";
                    address = j + " Oak Avenue";
                    zip = String.format("%05d", random.nextInt(100000));
                }
                Instant at = sentAt(r).plus(Duration.ofHours(1 + random.nextInt(24 * 75)));
                String total = random.nextInt(100) == 0 ? "0.00"
                        : (5 + random.nextInt(195)) + "." + String.format("%02d", random.nextInt(100));
                out.write("o" + j + "," + at + "," + email + "," + total + ",USD," + codes + "," + address
                        + ",,Springfield,IL," + zip + ",US,\n");
                floorOut.write("o" + j + "," + at + "," + email.trim().toLowerCase() + "," + total + ","
                        + codes.toUpperCase() + "," + AddressKey.of(address, null, zip, "US") + "\n");
            }
        }
        return new Path[] {file, floor};
    }

    private static Instant sentAt(int i) {
        return FIRST_SEND[i % CAMPAIGNS.length].plus(Duration.ofHours((i / CAMPAIGNS.length) % 72));
    }

    private static String email(int i) {
        return "r" + i + "@example.com";
    }

    private static int street(int i) {
        return 1 + i / 7;
    }

    private static String zip(int i) {
        return String.format("%05d", 10000 + (i * 7919) % 89999);
    }
}
