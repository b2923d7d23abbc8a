package io.paperrun.integration.csv;

import io.paperrun.batch.Excerpt;
import io.paperrun.batch.Partitions;
import io.paperrun.batch.RejectedRowException;
import io.paperrun.enrichment.AddressKey;
import io.paperrun.recipient.AudienceReading;
import io.paperrun.recipient.AudienceSource;
import io.paperrun.recipient.IncomingRecipient;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Recipients from a CSV file ({@code import recipients}): new audiences, or
 * mailings done elsewhere, for matchback. Each row names its campaign by key.
 */
public class CsvAudienceSource extends CsvSource<IncomingRecipient> implements AudienceSource {

    public static final Set<String> COLUMNS = Set.of(
            "campaign",
            "external_id",
            "email",
            "first_name",
            "last_name",
            "address1",
            "address2",
            "city",
            "region",
            "zip",
            "country",
            "status",
            "created_at",
            "sent_at",
            "discount_code");
    public static final Set<String> STATUSES = Set.of("pending", "sent", "holdout");

    /** The recipients of the file that {@code reading}'s {@code file} parameter names. */
    public CsvAudienceSource(AudienceReading reading) {
        super(
                reading.parameters(),
                "recipientCsvReader",
                "external_id",
                row -> map(row, reading.campaignIds(), reading.importTime()),
                Partitions.Slice.ALL,
                null);
    }

    public static CsvFile.Header checkHeader(Path file) throws IOException {
        return CsvFile.checkHeader(file, COLUMNS, Set.of("campaign"), Set.of("email", "address1"));
    }

    /**
     * @param campaignIds the organization's campaigns, by key
     * @param importTime  the created_at of a row that gives none (and was not sent before it)
     */
    static IncomingRecipient map(CsvRow row, Map<String, Long> campaignIds, Instant importTime)
            throws RejectedRowException {
        String campaignKey = row.required("campaign");
        Long campaignId = campaignIds.get(campaignKey);
        if (campaignId == null) {
            throw new RejectedRowException(
                    "campaign " + Excerpt.quote(campaignKey) + " is not a campaign of this organization");
        }
        String email = row.text("email");
        String emailLower = email == null ? null : email.toLowerCase(Locale.ROOT);
        if (email != null && (!email.contains("@") || email.indexOf('@') == 0 || email.endsWith("@"))) {
            throw new RejectedRowException("email " + Excerpt.quote(email) + " is not an email address");
        }
        String address1 = row.text("address1");
        String address2 = row.text("address2");
        String city = row.text("city");
        String zip = row.text("zip");
        String country = row.text("country");
        country = country == null ? "US" : country.toUpperCase(Locale.ROOT);
        if (!country.matches("[A-Z]{2}")) {
            throw new RejectedRowException("country " + Excerpt.quote(country) + " is not an ISO 3166-1 alpha-2 code");
        }
        boolean fullAddress = address1 != null && city != null && zip != null;
        if (email == null && !fullAddress) {
            throw new RejectedRowException("needs an email or a full address (address1, city, zip)");
        }
        String status = row.text("status");
        status = status == null ? null : status.toLowerCase(Locale.ROOT);
        if (status != null && !STATUSES.contains(status)) {
            throw new RejectedRowException("status " + Excerpt.quote(status) + " is not pending, sent or holdout");
        }
        Instant createdAt = row.instant("created_at");
        Instant sentAt = row.instant("sent_at");
        if ("sent".equals(status) && sentAt == null) {
            throw new RejectedRowException("status sent needs sent_at");
        }
        if (!"sent".equals(status) && sentAt != null) {
            throw new RejectedRowException(
                    "sent_at is given but status is " + (status == null ? "not (a new recipient)" : status));
        }
        if (createdAt != null && sentAt != null && sentAt.isBefore(createdAt)) {
            throw new RejectedRowException("sent_at " + sentAt + " is before created_at " + createdAt);
        }
        if (createdAt == null) {
            // The import time, unless the recipient was mailed before that: it existed when it was sent.
            createdAt = sentAt != null && sentAt.isBefore(importTime) ? sentAt : importTime;
        }
        String externalId = row.text("external_id");
        String addressKey = AddressKey.of(address1, address2, zip, country);
        String naturalKey = externalId != null
                ? externalId
                : emailLower != null
                        ? "email:" + emailLower
                        : "address:" + (addressKey != null ? addressKey : address1 + "|" + zip);
        String code = row.text("discount_code");
        return new IncomingRecipient(
                campaignId,
                naturalKey,
                externalId,
                status,
                createdAt,
                sentAt,
                email,
                emailLower,
                row.text("first_name"),
                row.text("last_name"),
                address1,
                address2,
                city,
                row.text("region"),
                zip,
                country,
                addressKey,
                code);
    }
}
