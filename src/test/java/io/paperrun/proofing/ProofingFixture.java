package io.paperrun.proofing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Apply files and recipients for the proofing tests: one organization, campaigns with a small 4x6 design. */
final class ProofingFixture {

    static final String HEADER = "campaign,external_id,email,first_name,last_name,address1,address2,city,region,zip,"
            + "country,status,created_at,sent_at,discount_code\n";

    private ProofingFixture() {}

    /** Writes the design (front and back) into {@code dir}: the front names the first name and the code. */
    static void design(Path dir) throws IOException {
        Files.writeString(dir.resolve("front.html"), """
                <html><head><style>body { margin: 0.3in; font-size: 18pt }</style></head>
                <body><p>We miss you, {{first_name}}!</p><p>Your code: {{discount_code}}</p></body></html>
                """);
        Files.writeString(dir.resolve("back.html"), """
                <html><body><p>Acme Co, 1 Market St, San Francisco</p><p>{{landing_url}}</p></body></html>
                """);
    }

    /**
     * Writes a design whose front shows the recipient's photo, {@code photos/<external_id>.png}: a recipient without
     * one cannot be proofed.
     */
    static void photoDesign(Path dir) throws IOException {
        design(dir);
        Files.writeString(dir.resolve("photo-front.html"), """
                <html><body><p>Hi {{first_name}}</p><img src="photos/{{external_id}}.png" width="40" height="40"/>
                </body></html>
                """);
        Files.createDirectories(dir.resolve("photos"));
    }

    /** A campaign of acme, active, with the design of {@code front} and {@code more} settings (YAML lines). */
    static String campaign(String key, String front, String more) {
        return "  - key: " + key + "\n    organization: acme\n    name: " + key + "\n    status: active\n"
                + "    start_date: 2024-01-01\n    flow_trigger: standard\n    discount_code: WINBACK10\n"
                + "    cost_per_piece: 0.89\n" + more
                + "    postcard:\n      size: 4x6\n      front: " + front + "\n      back: back.html\n"
                + "      landing_url: \"https://acme.example/p/{{discount_code}}\"\n";
    }

    /** The apply file: acme (with {@code integrations}, YAML lines, if any) and the campaigns. */
    static Path applyFile(Path dir, String integrations, String... campaigns) throws IOException {
        StringBuilder file = new StringBuilder(
                "organizations:\n  - slug: acme\n    email_domain: acmeco.com\n" + "    sync_orders: true\n");
        if (!integrations.isEmpty()) {
            file.append("    integrations:\n").append(integrations);
        }
        file.append("campaigns:\n");
        for (String c : campaigns) {
            file.append(c);
        }
        Path path = dir.resolve("apply.yaml");
        Files.writeString(path, file.toString());
        return path;
    }

    /** {@code n} rows of pending recipients of {@code campaign}, {@code prefix1}, {@code prefix2}, ... */
    static String pending(String campaign, String prefix, int n) {
        StringBuilder rows = new StringBuilder();
        for (int i = 1; i <= n; i++) {
            rows.append(row(campaign, prefix + i, "", ""));
        }
        return rows.toString();
    }

    /** A recipient row with a US address, of {@code status} (empty: pending) and {@code code} (empty: none). */
    static String row(String campaign, String id, String status, String code) {
        return campaign + "," + id + "," + id + "@example.com,Ann " + id + ",Lee,1 Main St,,Springfield,IL,62701,US,"
                + status + ",,," + code + "\n";
    }
}
