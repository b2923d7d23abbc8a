package io.paperrun.integration.csv;

import io.paperrun.batch.Excerpt;
import io.paperrun.batch.Page;
import io.paperrun.batch.Partitions;
import io.paperrun.batch.RejectedRowException;
import io.paperrun.enrichment.AddressKey;
import io.paperrun.recipient.DoNotMailList;
import io.paperrun.recipient.DoNotMailSource;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Do-not-mail entries from a CSV file ({@code import do-not-mail}): per row an email, an email's SHA-256 and an
 * address ({@code address1}, {@code address2}, {@code zip}, {@code country}, US by default), each optional, at
 * least one given; each becomes an entry in its stored form.
 */
public class CsvDoNotMailSource extends CsvSource<List<DoNotMailList.Entry>> implements DoNotMailSource {

    public static final Set<String> COLUMNS = Set.of("email", "email_sha256", "address1", "address2", "zip", "country");

    /** The rows of the file that the {@code file} parameter names. */
    public CsvDoNotMailSource(Map<String, String> parameters) {
        super(parameters, "doNotMailCsvReader", "email", CsvDoNotMailSource::map, Partitions.Slice.ALL, null);
    }

    public static CsvFile.Header checkHeader(Path file) throws IOException {
        return CsvFile.checkHeader(file, COLUMNS, Set.of(), Set.of("email", "email_sha256", "address1"));
    }

    @Override
    public Page<List<DoNotMailList.Entry>> fetch(String cursor) throws IOException {
        return fetch(null, cursor);
    }

    /** A row's entries: its email trimmed and lower case, its SHA-256 in lower-case hex, its address key. */
    static List<DoNotMailList.Entry> map(CsvRow row) throws RejectedRowException {
        List<DoNotMailList.Entry> entries = new ArrayList<>(3);
        String email = row.text("email");
        if (email != null) {
            if (email.indexOf('@') <= 0 || email.endsWith("@")) {
                throw new RejectedRowException("email " + Excerpt.quote(email) + " is not an email address");
            }
            entries.add(DoNotMailList.Entry.email(email.toLowerCase(Locale.ROOT)));
        }
        String sha256 = row.text("email_sha256");
        if (sha256 != null) {
            if (!sha256.matches("[0-9a-fA-F]{64}")) {
                throw new RejectedRowException(
                        "email_sha256 " + Excerpt.quote(sha256) + " is not a SHA-256 in hex (64 characters 0-9, a-f)");
            }
            entries.add(DoNotMailList.Entry.emailSha256(sha256.toLowerCase(Locale.ROOT)));
        }
        String address1 = row.text("address1");
        String address2 = row.text("address2");
        String zip = row.text("zip");
        String country = row.text("country");
        if (address1 != null || address2 != null || zip != null) { // a country alone is no address
            country = country == null ? "US" : country.toUpperCase(Locale.ROOT);
            if (!country.matches("[A-Z]{2}")) {
                throw new RejectedRowException(
                        "country " + Excerpt.quote(country) + " is not an ISO 3166-1 alpha-2 code");
            }
            String key = AddressKey.of(address1, address2, zip, country);
            if (key == null) {
                throw new RejectedRowException("an address needs address1 and zip");
            }
            entries.add(DoNotMailList.Entry.address(key));
        }
        if (entries.isEmpty()) {
            throw new RejectedRowException("needs an email, an email_sha256 or an address (address1, zip)");
        }
        return List.copyOf(entries);
    }
}
