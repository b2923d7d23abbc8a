package io.paperrun.recipient;

import io.paperrun.batch.TextArray;
import io.paperrun.campaign.DiscountCode;
import java.util.List;
import java.util.function.Function;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A chunk of recipients as the array parameters of one {@code unnest(...)} statement, a column each:
 * {@code :campaigns, :keys, :externalIds, :created, :emails, :emailsLower, :first, :last, :a1, :a2, :city,
 * :region, :zip, :country, :addressKeys, :codes, :codesUpper}.
 */
final class RecipientColumns {

    private RecipientColumns() {}

    /** {@code statement} with the chunk's columns bound. */
    static JdbcClient.StatementSpec bind(JdbcClient.StatementSpec statement, List<IncomingRecipient> rows) {
        return statement
                .param(
                        "campaigns",
                        rows.stream().mapToLong(IncomingRecipient::campaignId).toArray())
                .param("keys", text(rows, IncomingRecipient::naturalKey))
                .param("externalIds", text(rows, IncomingRecipient::externalId))
                .param("created", text(rows, r -> r.createdAt().toString()))
                .param("emails", text(rows, IncomingRecipient::email))
                .param("emailsLower", text(rows, IncomingRecipient::emailLower))
                .param("first", text(rows, IncomingRecipient::firstName))
                .param("last", text(rows, IncomingRecipient::lastName))
                .param("a1", text(rows, IncomingRecipient::address1))
                .param("a2", text(rows, IncomingRecipient::address2))
                .param("city", text(rows, IncomingRecipient::city))
                .param("region", text(rows, IncomingRecipient::region))
                .param("zip", text(rows, IncomingRecipient::zip))
                .param("country", text(rows, IncomingRecipient::country))
                .param("addressKeys", text(rows, IncomingRecipient::addressKey))
                .param("codes", text(rows, IncomingRecipient::discountCode))
                .param(
                        "codesUpper",
                        text(rows, r -> r.discountCode() == null ? null : DiscountCode.upper(r.discountCode())));
    }

    /** One column of the chunk, as an array literal. */
    static String text(List<IncomingRecipient> rows, Function<IncomingRecipient, String> column) {
        return TextArray.of(rows.stream().map(column).toArray(String[]::new));
    }
}
