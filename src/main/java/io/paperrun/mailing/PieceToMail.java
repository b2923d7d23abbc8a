package io.paperrun.mailing;

/**
 * A recipient that mailing sends or settles: its campaign and organization, its name and normalised address, its
 * proof, and, once {@code sending} was committed, the printer and idempotency key chosen then.
 */
public record PieceToMail(
        long id,
        long campaignId,
        long organizationId,
        String naturalKey,
        String externalId,
        String status,
        String firstName,
        String lastName,
        String address1,
        String address2,
        String city,
        String region,
        String zip,
        String country,
        String emailLower,
        String addressKey,
        String proof,
        String printer,
        String idempotencyKey) {

    /** The name printed on the postcard: first and last name, as they are. */
    public String name() {
        String first = firstName == null ? "" : firstName.trim();
        String last = lastName == null ? "" : lastName.trim();
        String both = (first + " " + last).trim();
        return both.isEmpty() ? "Current Resident" : both;
    }

    public MailingAddress address() {
        return new MailingAddress(name(), address1, address2, city, region, zip, country);
    }
}
