package io.paperrun.bench;

import io.paperrun.enrichment.AddressKey;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A deterministic synthetic organization, written to files one row at a time: the same seed, N and M always give
 * the same bytes. What it holds (campaigns, recipients, kinds of orders, the floor's copy): docs/performance.md.
 */
final class SyntheticMerchant {

    static final String ORG = "bench";
    static final int MINIMUM_RECIPIENTS = 100;

    private static final String[] CAMPAIGNS = {"spring", "holdout", "welcome", "bfcm", "summer"};
    private static final int HOLDOUT_CAMPAIGN = 1;
    private static final int WELCOME_CAMPAIGN = 2;
    private static final int BFCM_CAMPAIGN = 3;
    private static final Instant[] FIRST_SEND = {
        Instant.parse("2024-03-04T10:00:00Z"),
        Instant.parse("2024-03-11T10:00:00Z"),
        Instant.parse("2024-03-18T10:00:00Z"),
        Instant.parse("2024-11-04T10:00:00Z"),
        Instant.parse("2024-06-03T10:00:00Z")
    };
    /** Until when after its first send a campaign's window is (about) open, in days. */
    private static final int[] OPEN_DAYS = {66, 61, 183, 28, 66};

    private static final int SEND_HOURS = 72;
    private static final Instant ORDERS_FROM = Instant.parse("2024-03-08T00:00:00Z");
    private static final Instant ORDERS_TO = Instant.parse("2024-12-31T00:00:00Z");
    private static final Instant BFCM_START = Instant.parse("2024-11-01T00:00:00Z");

    private static final String[] NAMES = {"Main", "Oak", "Pine", "Maple", "Cedar", "Elm", "Park", "Lake"};
    private static final String[] TYPES = {"Street", "Avenue", "Road", "Drive", "Lane", "Boulevard"};
    private static final String[] ABBREVIATED = {"St.", "Ave", "Rd.", "Dr", "LN", "Blvd."};

    /** The kinds of orders, in the order their shares are drawn. */
    enum Kind {
        EMAIL(0.25),
        ADDRESS(0.08),
        CODE(0.05),
        HOLDOUT(0.03),
        INTERNAL(0.01),
        BLACKLISTED(0.005),
        NOBODY(1);

        final double share;

        Kind(double share) {
            this.share = share;
        }
    }

    private final int recipients;
    private final int orders;
    private final long seed;
    private final Map<Kind, Long> generated = new LinkedHashMap<>();

    SyntheticMerchant(int recipients, int orders, long seed) {
        if (recipients < MINIMUM_RECIPIENTS) {
            throw new IllegalArgumentException("at least " + MINIMUM_RECIPIENTS + " recipients");
        }
        this.recipients = recipients;
        this.orders = orders;
        this.seed = seed;
    }

    /** How many orders of each kind the last {@link #ordersFiles} wrote. */
    Map<Kind, Long> generatedKinds() {
        return generated;
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
                  - { key: holdout, organization: bench, status: active, start_date: 2024-03-08,
                      holdout: { enabled: true, percentage: 10, absolute_maximum: 1000000 } }
                  - { key: welcome, organization: bench, status: completed, start_date: 2024-03-15,
                      flow_trigger: first_purchase, use_unique_discount: true }
                  - { key: bfcm, organization: bench, status: active, start_date: 2024-11-01, end_date: 2024-11-30,
                      flow_trigger: bfcm, discount_code: BFCM25 }
                  - { key: summer, organization: bench, status: paused, start_date: 2024-06-01 }
                """);
    }

    Path recipientsFile(Path dir) throws IOException {
        Path file = dir.resolve("recipients.csv");
        try (BufferedWriter out =
                Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW)) {
            out.write("campaign,external_id,email,first_name,last_name,address1,address2,city,region,zip,country,"
                    + "status,created_at,sent_at,discount_code\n");
            StringBuilder line = new StringBuilder(200);
            for (int i = 0; i < recipients; i++) {
                int c = i % CAMPAIGNS.length;
                boolean holdout = isHoldout(i);
                Instant sent = sentAt(i);
                int home = home(i);
                line.setLength(0);
                line.append(CAMPAIGNS[c])
                        .append(",r")
                        .append(i)
                        .append(',')
                        .append(email(i))
                        .append(",Pat,Lee")
                        .append(i % 100)
                        .append(',')
                        .append(address1(home, false))
                        .append(',')
                        .append(address2(home, false))
                        .append(",Springfield,IL,")
                        .append(zip(home))
                        .append(",US,")
                        .append(holdout ? "holdout" : "sent")
                        .append(',')
                        .append(sent.minus(Duration.ofDays(2)))
                        .append(',')
                        .append(holdout ? "" : sent.toString())
                        .append(',')
                        .append(c == WELCOME_CAMPAIGN ? uniqueCode(i) : "")
                        .append('\n');
                out.append(line);
            }
        }
        return file;
    }

    /** The orders file and the floor's copy of it. */
    Path[] ordersFiles(Path dir) throws IOException {
        Path file = dir.resolve("orders.csv");
        Path floor = dir.resolve("orders-floor.csv");
        generated.clear();
        SplittableRandom random = new SplittableRandom(seed);
        long span = Duration.between(ORDERS_FROM, ORDERS_TO).toSeconds();
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW);
                BufferedWriter floorOut =
                        Files.newBufferedWriter(floor, StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW)) {
            out.write("order_id,created_at,email,total,currency,discount_codes,shipping_address1,shipping_address2,"
                    + "shipping_city,shipping_region,shipping_zip,shipping_country,active_subscription_start_date\n");
            StringBuilder line = new StringBuilder(256);
            for (int j = 0; j < orders; j++) {
                Instant at = ORDERS_FROM.plusSeconds((long) ((j + random.nextDouble()) * span / orders));
                Kind kind = kind(random.nextDouble());
                String email;
                String a1;
                String a2 = "";
                String zip;
                String codes = "";
                String subscription = "";
                switch (kind) {
                    case EMAIL -> {
                        int r = mailed(random, at);
                        email = email(r).toUpperCase(Locale.ROOT);
                        int home = home(r);
                        a1 = address1(home, false);
                        a2 = address2(home, false);
                        zip = zip(home);
                    }
                    case ADDRESS -> {
                        int home = home(mailed(random, at));
                        email = "buyer" + j + "@gmail.com";
                        a1 = address1(home, true);
                        a2 = address2(home, true);
                        zip = zip(home) + "-" + (1000 + random.nextInt(9000));
                        if (random.nextInt(50) == 0) {
                            subscription = "2024-01-15"; // subscribed before the mailing: no address match
                        }
                    }
                    case CODE -> {
                        email = "deal" + j + "@yahoo.com";
                        a1 = (1 + j % 9999) + " Birch Court";
                        zip = String.format("%05d", random.nextInt(100000));
                        if (random.nextInt(5) < 2) {
                            int k = random.nextInt(campaignSize(WELCOME_CAMPAIGN));
                            codes = " "
                                    + uniqueCode(k * CAMPAIGNS.length + WELCOME_CAMPAIGN)
                                            .toLowerCase(Locale.ROOT);
                        } else {
                            codes = !at.isBefore(BFCM_START) && random.nextBoolean() ? "bfcm25 " : "SPRING10";
                            if (random.nextInt(5) == 0) {
                                codes = "FREESHIP;" + codes;
                            }
                        }
                    }
                    case HOLDOUT -> {
                        int r = held(random, at);
                        int home = home(r);
                        boolean byEmail = random.nextBoolean();
                        email = byEmail ? email(r) : "ctrl" + j + "@gmail.com";
                        a1 = address1(home, !byEmail);
                        a2 = address2(home, !byEmail);
                        zip = zip(home);
                    }
                    case INTERNAL -> {
                        int home = home(mailed(random, at));
                        email = (random.nextBoolean() ? "staff" + j + "@benchco.com" : "ops" + j + "@EU.benchco.com");
                        a1 = address1(home, false);
                        a2 = address2(home, false);
                        zip = zip(home);
                    }
                    case BLACKLISTED -> {
                        int r = mailed(random, at);
                        int home = home(r);
                        email = email(r);
                        a1 = address1(home, false);
                        a2 = address2(home, false);
                        zip = zip(home);
                        codes = "Wholesale-" + (j % 7);
                    }
                    default -> {
                        email = "shopper" + j + "@gmail.com";
                        if (random.nextInt(20) == 0) {
                            a1 = "";
                            zip = "";
                        } else {
                            a1 = (1 + j % 9999) + " " + NAMES[j % NAMES.length] + " " + TYPES[(j / 8) % TYPES.length];
                            zip = String.format("%05d", random.nextInt(100000));
                        }
                    }
                }
                generated.merge(kind, 1L, Long::sum);
                String total =
                        random.nextInt(100) == 0 ? "0.00" : (5 + random.nextInt(195)) + "." + (10 + random.nextInt(90));
                line.setLength(0);
                line.append('o')
                        .append(j)
                        .append(',')
                        .append(at)
                        .append(',')
                        .append(email)
                        .append(',')
                        .append(total)
                        .append(",USD,")
                        .append(codes)
                        .append(',')
                        .append(a1)
                        .append(',')
                        .append(a2)
                        .append(",Springfield,IL,")
                        .append(zip)
                        .append(",US,")
                        .append(subscription)
                        .append('\n');
                out.append(line);

                String key = AddressKey.of(a1, a2, zip, "US");
                line.setLength(0);
                line.append('o')
                        .append(j)
                        .append(',')
                        .append(at)
                        .append(',')
                        .append(email.trim().toLowerCase(Locale.ROOT))
                        .append(',')
                        .append(total)
                        .append(',')
                        .append(upperCodes(codes))
                        .append(',')
                        .append(key == null ? "" : key)
                        .append(',')
                        .append(subscription.isEmpty() ? "" : subscription + "T00:00:00Z")
                        .append('\n');
                floorOut.append(line);
            }
        }
        return new Path[] {file, floor};
    }

    private static Kind kind(double x) {
        double cumulative = 0;
        for (Kind k : Kind.values()) {
            cumulative += k.share;
            if (x < cumulative) {
                return k;
            }
        }
        return Kind.NOBODY;
    }

    /**
     * A mailed (sent) recipient of a campaign already mailed at {@code at}; a campaign whose window is
     * open is four times as likely as one whose window has closed.
     */
    private int mailed(SplittableRandom random, Instant at) {
        int[] weights = new int[CAMPAIGNS.length];
        int total = 0;
        for (int c = 0; c < CAMPAIGNS.length; c++) {
            Instant allSent = FIRST_SEND[c].plus(Duration.ofHours(SEND_HOURS));
            if (!at.isBefore(allSent)) {
                weights[c] = at.isBefore(FIRST_SEND[c].plus(Duration.ofDays(OPEN_DAYS[c]))) ? 4 : 1;
                total += weights[c];
            }
        }
        int c = 0;
        if (total > 0) {
            int pick = random.nextInt(total);
            while (pick >= weights[c]) {
                pick -= weights[c++];
            }
        }
        int k = random.nextInt(campaignSize(c));
        int r = k * CAMPAIGNS.length + c;
        if (isHoldout(r)) {
            r = k + 1 < campaignSize(c) ? r + CAMPAIGNS.length : r - CAMPAIGNS.length;
        }
        return r;
    }

    /** A holdout recipient of the holdout campaign, or a mailed recipient before that campaign began. */
    private int held(SplittableRandom random, Instant at) {
        if (at.isBefore(FIRST_SEND[HOLDOUT_CAMPAIGN])) {
            return mailed(random, at);
        }
        int k = 10 * random.nextInt((campaignSize(HOLDOUT_CAMPAIGN) + 9) / 10);
        return k * CAMPAIGNS.length + HOLDOUT_CAMPAIGN;
    }

    private int campaignSize(int c) {
        return (recipients - c + CAMPAIGNS.length - 1) / CAMPAIGNS.length;
    }

    private static boolean isHoldout(int i) {
        return i % CAMPAIGNS.length == HOLDOUT_CAMPAIGN && (i / CAMPAIGNS.length) % 10 == 0;
    }

    private static Instant sentAt(int i) {
        return FIRST_SEND[i % CAMPAIGNS.length].plus(Duration.ofHours((i / CAMPAIGNS.length) % SEND_HOURS));
    }

    private static String email(int i) {
        return "pat.lee" + i + "@example.com";
    }

    private static String uniqueCode(int i) {
        return "WELCOME-" + Integer.toString(i, 36).toUpperCase(Locale.ROOT);
    }

    /** The recipient whose address recipient i uses: one household in fifty has two recipients. */
    private static int home(int i) {
        return i % 50 == 49 ? i - 1 : i;
    }

    /** House number and street of recipient i's address (unique with the ZIP), in full or abbreviated. */
    private static String address1(int i, boolean abbreviated) {
        int house = 1 + (i / 89999) * 10 + i % 7;
        String north = i % 11 == 0 ? (abbreviated ? "N. " : "North ") : "";
        String name = NAMES[(i / 7) % NAMES.length];
        int type = (i / 56) % TYPES.length;
        return abbreviated
                ? house + " " + north.toUpperCase(Locale.ROOT) + name.toUpperCase(Locale.ROOT) + " " + ABBREVIATED[type]
                : house + " " + north + name + " " + TYPES[type];
    }

    private static String address2(int i, boolean abbreviated) {
        if (i % 13 != 0) {
            return "";
        }
        return (abbreviated ? "Apt # " : "Apartment ") + (1 + i % 40);
    }

    /** A permutation of the first 89,999 recipients over the ZIPs 10000-99998. */
    private static String zip(int i) {
        return Integer.toString(10000 + (int) ((i * 7919L) % 89999));
    }

    private static String upperCodes(String codes) {
        StringBuilder out = new StringBuilder();
        for (String code : codes.split(";")) {
            String c = code.trim().toUpperCase(Locale.ROOT);
            if (!c.isEmpty()) {
                out.append(out.isEmpty() ? "" : ";").append(c);
            }
        }
        return out.toString();
    }
}
