package io.paperrun.mailing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.common.PDRectangle;

/** A campaign with a postcard design, recipients and their proofs, for the mailing tests. */
public final class MailingFixture {

    private MailingFixture() {}

    /** Writes an apply file for organization acme ({@code integrations} YAML, may be empty) and a 4x6 design. */
    public static Path applyFile(Path dir, String integrations, String printer) throws IOException {
        Files.writeString(dir.resolve("front.html"), "<html><body><p>Hello {{first_name}}</p></body></html>");
        Files.writeString(dir.resolve("back.html"), "<html><body><p>{{discount_code}}</p></body></html>");
        return Files.writeString(dir.resolve("apply.yaml"), """
                organizations:
                  - slug: acme
                    name: Acme Co
                """ + integrations + """
                campaigns:
                  - key: winback
                    organization: acme
                    status: active
                    start_date: 2024-01-01
                    discount_code: WINBACK10
                    cost_per_piece: 0.89
                    printer: %s
                    postcard:
                      size: 4x6
                      front: front.html
                      back: back.html
                      return_address: {name: Acme Co, address1: 1 Market St, city: San Francisco, region: CA, zip: "94105", country: US}
                """.formatted(printer));
    }

    /** Recipients {@code wb-1..wb-n} as an import file with status pending, in the US unless {@code country} says. */
    public static Path recipients(Path dir, int n, String country) throws IOException {
        StringBuilder csv = new StringBuilder(
                "campaign,external_id,email,first_name,last_name,address1,address2,city,region,zip,country,status\n");
        for (int i = 1; i <= n; i++) {
            csv.append("winback,wb-")
                    .append(i)
                    .append(",p")
                    .append(i)
                    .append("@example.com,Pat")
                    .append(i)
                    .append(",Lee,")
                    .append(i)
                    .append(" Main St,,Springfield,IL,62701,")
                    .append(country)
                    .append(",pending\n");
        }
        return Files.writeString(dir.resolve("recipients.csv"), csv);
    }

    /**
     * Writes an apply file of these organizations ({@link #organization} entries) and campaigns ({@link #campaign}
     * entries), with the fixture's templates.
     */
    public static Path applyFile(Path dir, List<String> organizations, List<String> campaigns) throws IOException {
        Files.writeString(dir.resolve("front.html"), "<html><body><p>Hello {{first_name}}</p></body></html>");
        Files.writeString(dir.resolve("back.html"), "<html><body><p>{{discount_code}}</p></body></html>");
        return Files.writeString(
                dir.resolve("apply.yaml"),
                "organizations:\n" + String.join("", organizations) + "campaigns:\n" + String.join("", campaigns));
    }

    /** An organization entry of an apply file, with these {@code integrations} entries (YAML lines, may be none). */
    public static String organization(String slug, String... integrations) {
        StringBuilder yaml = new StringBuilder("  - slug: " + slug + "\n    name: " + slug + " Co\n");
        if (integrations.length > 0) {
            yaml.append("    integrations:\n");
            for (String integration : integrations) {
                yaml.append("      ").append(integration).append('\n');
            }
        }
        return yaml.toString();
    }

    /**
     * An active campaign entry of an apply file: its {@code printer} and postcard {@code size}, cost_per_piece 0.89,
     * the fixture's design and return address; {@code more} are further YAML lines of the campaign (may be none).
     */
    public static String campaign(String key, String organization, String printer, String size, String... more) {
        StringBuilder yaml = new StringBuilder(
                """
                  - key: %s
                    organization: %s
                    status: active
                    start_date: 2024-01-01
                    discount_code: %s10
                    cost_per_piece: 0.89
                    printer: %s
                    postcard:
                      size: %s
                      front: front.html
                      back: back.html
                      return_address: {name: Acme Co, address1: 1 Market St, city: San Francisco, region: CA, zip: "94105", country: US}
                """.formatted(key, organization, key.toUpperCase(Locale.ROOT).replace("-", ""), printer, size));
        for (String line : more) {
            yaml.append("    ").append(line).append('\n');
        }
        return yaml.toString();
    }

    /**
     * An import file of recipients, one per {@code campaign:external_id:country[:status]} (pending unless said), with
     * a distinct
     * address in that country; {@code withStatus} false leaves the status column out, so that the recipients are
     * created by the rules of pipeline-rules.md §1.
     */
    public static Path recipients(Path dir, String file, boolean withStatus, String... recipients) throws IOException {
        StringBuilder csv = new StringBuilder(
                "campaign,external_id,email,first_name,last_name,address1,address2,city,region,zip,country"
                        + (withStatus ? ",status\n" : "\n"));
        for (String recipient : recipients) {
            String[] parts = recipient.split(":");
            String campaign = parts[0];
            String id = parts[1];
            String country = parts[2];
            int n = Integer.parseInt(id.replaceAll("\\D", ""));
            csv.append(String.join(
                            ",", campaign, id, id + "@example.com", "Pat" + n, "Lee", address(country, n), country))
                    .append(withStatus ? "," + (parts.length > 3 ? parts[3] : "pending") + "\n" : "\n");
        }
        return Files.writeString(dir.resolve(file), csv);
    }

    /** A recipient's address1, address2, city, region and zip in {@code country}: its street number is {@code n}. */
    public static String address(String country, int n) {
        return switch (country) {
            case "US" -> n + " Main St,,Springfield,IL,62701";
            case "GB" -> n + " High Street,,London,,SW1A 1AA";
            case "FR" -> n + " Rue de Rivoli,,Paris,,75001";
            default -> n + " Chome,,Tokyo,,100-0001";
        };
    }

    /** A two-page 4x6 proof with bleed (6.25 x 4.25 in). */
    public static Path proof(Path dir) throws IOException {
        Path file = dir.resolve("proof.pdf");
        try (PDDocument document = new PDDocument()) {
            PDRectangle size = new PDRectangle(6.25f * 72, 4.25f * 72);
            document.addPage(new PDPage(size));
            document.addPage(new PDPage(size));
            document.save(file.toFile());
        }
        return file;
    }
}
