package io.paperrun.mailing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
