package io.paperrun.integration.klaviyo;

import io.paperrun.batch.Excerpt;
import io.paperrun.batch.RejectedRowException;
import io.paperrun.batch.StorableValues;
import io.paperrun.enrichment.AddressKey;
import io.paperrun.recipient.IncomingRecipient;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * A profile of a segment as {@code GET /api/segments/{id}/profiles} lists it, read as a recipient of the campaign the
 * segment fills: the profile's id is its natural key, its {@code location} its address. A value that cannot be read
 * or stored, or a profile with neither an email nor a full address (as a CSV import requires), rejects it.
 */
final class SegmentMember {

    /** The profile fields read ({@code fields[profile]}): nothing else of a profile is asked for. */
    static final String FIELDS = "email,first_name,last_name,joined_group_at,location.address1,location.address2,"
            + "location.city,location.region,location.zip,location.country";

    /** The country of an address that names none, as a CSV import takes it. */
    static final String DEFAULT_COUNTRY = "US";

    /** Where a segment member's address comes from ({@code IncomingRecipient.addressSource}). */
    static final String ADDRESS_SOURCE = "klaviyo";

    private static final Set<String> ISO_CODES = Set.of(Locale.getISOCountries());

    private final JsonNode profile;

    SegmentMember(JsonNode profile) {
        this.profile = profile;
    }

    /** The profile's id, when it is a JSON string; a rejection names it. */
    String id() {
        JsonNode id = profile.path("id");
        return id.isString() && !id.stringValue().isBlank() ? id.stringValue() : null;
    }

    /** The profile as a rejection quotes it: its JSON, cut to {@link Excerpt#LIMIT} characters. */
    String raw() {
        return Excerpt.of(profile.toString());
    }

    /**
     * The recipient of {@code campaignId} this profile is, created (pipeline-rules.md §1) at {@code createdAt}.
     *
     * @throws RejectedRowException naming the value that cannot be read, or the address the profile lacks
     */
    IncomingRecipient toRecipient(long campaignId, Instant createdAt) throws RejectedRowException {
        String id = JsonText.of(profile.path("id"), "id");
        if (id == null) {
            throw new RejectedRowException("the profile has no id");
        }
        JsonNode attributes = profile.path("attributes");
        String email = JsonText.of(attributes.path("email"), "email");
        if (email != null && (email.indexOf('@') <= 0 || email.endsWith("@"))) {
            throw new RejectedRowException("email " + Excerpt.quote(email) + " is not an email address");
        }
        String firstName = JsonText.of(attributes.path("first_name"), "first_name");
        String lastName = JsonText.of(attributes.path("last_name"), "last_name");
        JsonNode location = attributes.path("location");
        if (!location.isMissingNode() && !location.isNull() && !location.isObject()) {
            throw new RejectedRowException("location is not an object but " + Excerpt.quote(location.toString()));
        }
        String address1 = JsonText.of(location.path("address1"), "location.address1");
        String address2 = JsonText.of(location.path("address2"), "location.address2");
        String city = JsonText.of(location.path("city"), "location.city");
        String region = JsonText.of(location.path("region"), "location.region");
        String zip = JsonText.of(location.path("zip"), "location.zip");
        String country = country(JsonText.of(location.path("country"), "location.country"));
        Instant joinedGroupAt = joinedGroupAt();
        if (email == null && (address1 == null || city == null || zip == null)) {
            throw new RejectedRowException(
                    "needs an email or a full address (location.address1, location.city, location.zip)");
        }
        return new IncomingRecipient(
                campaignId,
                id,
                id,
                null,
                createdAt,
                null,
                email,
                email == null ? null : email.toLowerCase(Locale.ROOT),
                firstName,
                lastName,
                address1,
                address2,
                city,
                region,
                zip,
                country,
                AddressKey.of(address1, address2, zip, country),
                null,
                ADDRESS_SOURCE,
                joinedGroupAt);
    }

    /** The alpha-2 code of Klaviyo's country name ({@link Countries}); {@value #DEFAULT_COUNTRY} when none. */
    private static String country(String name) throws RejectedRowException {
        if (name == null) {
            return DEFAULT_COUNTRY;
        }
        String code = Countries.isoCode(name);
        if (!ISO_CODES.contains(code)) {
            throw new RejectedRowException(
                    "location.country " + Excerpt.quote(name) + " is no country name or ISO 3166-1 code known");
        }
        return code;
    }

    /** {@code joined_group_at}, required: with an offset or, as Klaviyo writes some times, without one (UTC). */
    private Instant joinedGroupAt() throws RejectedRowException {
        String text = JsonText.of(profile.path("attributes").path("joined_group_at"), "joined_group_at");
        if (text == null) {
            throw new RejectedRowException("joined_group_at is required");
        }
        Instant joined;
        try {
            joined = OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException withoutOffset) {
            try {
                joined = LocalDateTime.parse(text).toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException unreadable) {
                throw new RejectedRowException("joined_group_at " + Excerpt.quote(text) + " is not an ISO-8601 time");
            }
        }
        if (!StorableValues.instant(joined)) {
            throw new RejectedRowException(
                    "joined_group_at " + Excerpt.quote(text) + " is outside " + StorableValues.YEARS);
        }
        return StorableValues.asStored(joined);
    }
}
