package io.paperrun.enrichment;

import java.util.EnumSet;
import java.util.Set;

/**
 * Address enrichment's rules (pipeline-rules §1.5 and §2): which address is usable, who is looked up and who is
 * verified, which verdicts a strictness accepts, and the status a recipient ends with. Plain functions; the job
 * around them calls the providers.
 */
public final class EnrichmentRules {

    public static final String SUPPRESSED = "suppressed";
    public static final String UNDELIVERABLE = "undeliverable";

    /** The reason of a recipient left with no usable address. */
    public static final String NO_ADDRESS = "no_address";

    /** The reason of a recipient whose address the verifier refused to read. */
    public static final String UNVERIFIABLE = "unverifiable";

    private static final Set<Deliverability> STRICT = EnumSet.of(Deliverability.DELIVERABLE);
    private static final Set<Deliverability> NORMAL = EnumSet.of(
            Deliverability.DELIVERABLE,
            Deliverability.DELIVERABLE_UNNECESSARY_UNIT,
            Deliverability.DELIVERABLE_INCORRECT_UNIT);
    private static final Set<Deliverability> RELAXED = EnumSet.of(
            Deliverability.DELIVERABLE,
            Deliverability.DELIVERABLE_UNNECESSARY_UNIT,
            Deliverability.DELIVERABLE_INCORRECT_UNIT,
            Deliverability.DELIVERABLE_MISSING_UNIT);

    private EnrichmentRules() {}

    /** What enrichment leaves a recipient with: its status, and the reason when it is suppressed or undeliverable. */
    public record Outcome(String status, String reason) {}

    /** A usable postal address has an {@code address1}, and a {@code zip} or a {@code city}. */
    public static boolean hasUsableAddress(PostalAddress address) {
        return present(address.address1()) && (present(address.zip()) || present(address.city()));
    }

    /** An address is appended (where an appender is configured) for a recipient with an email and no usable one. */
    public static boolean needsAppend(String email, PostalAddress address) {
        return present(email) && !hasUsableAddress(address);
    }

    /** An address is verified (where a verifier is configured) when it is usable and in the US. */
    public static boolean needsVerification(PostalAddress address) {
        return hasUsableAddress(address) && address.isUs();
    }

    /**
     * Whether {@code strictness} accepts {@code deliverability}: strict only {@code deliverable}; normal also an
     * unnecessary or incorrect unit; relaxed also a missing unit. {@code undeliverable}, and a value this version
     * does not know, never.
     */
    public static boolean accepts(Strictness strictness, String deliverability) {
        Set<Deliverability> accepted = switch (strictness) {
            case STRICT -> STRICT;
            case NORMAL -> NORMAL;
            case RELAXED -> RELAXED;
        };
        return Deliverability.of(deliverability).filter(accepted::contains).isPresent();
    }

    /**
     * The status a recipient of {@code status} (pending or holdout) ends with at {@code address}, after
     * {@code verification} read with {@code strictness}: {@code suppressed} ({@link #NO_ADDRESS}) with no usable
     * address; {@code undeliverable} with the verdict (or {@link #UNVERIFIABLE}) when verification fails; else
     * its status unchanged.
     */
    public static Outcome outcome(
            String status, PostalAddress address, Verification verification, Strictness strictness) {
        if (!hasUsableAddress(address)) {
            return new Outcome(SUPPRESSED, NO_ADDRESS);
        }
        if (verification instanceof Verification.Verdict verdict && !accepts(strictness, verdict.deliverability())) {
            return new Outcome(UNDELIVERABLE, verdict.deliverability());
        }
        if (verification instanceof Verification.Refused) {
            return new Outcome(UNDELIVERABLE, UNVERIFIABLE);
        }
        return new Outcome(status, null);
    }

    private static boolean present(String value) {
        return value != null && !value.isBlank();
    }
}
