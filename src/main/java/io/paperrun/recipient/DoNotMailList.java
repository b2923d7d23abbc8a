package io.paperrun.recipient;

import io.paperrun.batch.TextArray;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * An organization's do-not-mail list (table {@code do_not_mail}): emails (trimmed, lower case), SHA-256s of
 * emails (64 lower-case hex characters) and address keys ({@code enrichment.AddressKey}), each once.
 */
@Repository
public class DoNotMailList {

    /** What an entry holds, as the table's {@code kind} names it. */
    public enum Kind {
        EMAIL("email"),
        EMAIL_SHA256("email_sha256"),
        ADDRESS("address");

        private final String stored;

        Kind(String stored) {
            this.stored = stored;
        }

        /** The table's {@code kind}. */
        public String stored() {
            return stored;
        }
    }

    /** One entry of the list, its value already in the stored form its kind says. */
    public record Entry(Kind kind, String value) {

        public static Entry email(String emailLower) {
            return new Entry(Kind.EMAIL, emailLower);
        }

        public static Entry emailSha256(String lowerHex) {
            return new Entry(Kind.EMAIL_SHA256, lowerHex);
        }

        public static Entry address(String addressKey) {
            return new Entry(Kind.ADDRESS, addressKey);
        }
    }

    private final JdbcClient jdbc;

    public DoNotMailList(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Adds the entries to the organization's list, in the caller's transaction; those already on it are left. */
    public int add(long organizationId, Collection<Entry> entries) {
        if (entries.isEmpty()) {
            return 0;
        }
        return jdbc.sql("""
                INSERT INTO do_not_mail (organization_id, kind, value)
                SELECT :organization, t.kind, t.value
                FROM unnest(:kinds::text[], :values::text[]) AS t(kind, value)
                ON CONFLICT (organization_id, kind, value) DO NOTHING
                """)
                .param("organization", organizationId)
                .param(
                        "kinds",
                        TextArray.of(
                                entries.stream().map(e -> e.kind().stored()).toList()))
                .param("values", TextArray.of(entries.stream().map(Entry::value).toList()))
                .update();
    }

    /**
     * Which of the given emails (trimmed, lower case) and address keys are on the organization's list, in one
     * query: {@code Entry.email(e)} when the email or its SHA-256 is listed, {@code Entry.address(k)} when the key is.
     */
    public Set<Entry> matching(long organizationId, Collection<String> emailsLower, Collection<String> addressKeys) {
        if (emailsLower.isEmpty() && addressKeys.isEmpty()) {
            return Set.of();
        }
        List<Entry> listed = jdbc.sql("""
                SELECT 'email' AS kind, e.value FROM unnest(:emails::text[]) AS e(value)
                WHERE EXISTS (SELECT 1 FROM do_not_mail d
                              WHERE d.organization_id = :organization AND d.kind = 'email' AND d.value = e.value)
                   OR EXISTS (SELECT 1 FROM do_not_mail d
                              WHERE d.organization_id = :organization AND d.kind = 'email_sha256'
                                AND d.value = encode(sha256(convert_to(e.value, 'UTF8')), 'hex'))
                UNION
                SELECT 'address', k.value FROM unnest(:keys::text[]) AS k(value)
                WHERE EXISTS (SELECT 1 FROM do_not_mail d
                              WHERE d.organization_id = :organization AND d.kind = 'address' AND d.value = k.value)
                """)
                .param("organization", organizationId)
                .param("emails", TextArray.of(emailsLower))
                .param("keys", TextArray.of(addressKeys))
                .query((rs, i) ->
                        rs.getString(1).equals("email") ? Entry.email(rs.getString(2)) : Entry.address(rs.getString(2)))
                .list();
        return new HashSet<>(listed);
    }
}
