package io.paperrun.attribution;

/** What stage A decided for one order. */
public record MatchResult(
        Outcome outcome,
        Long campaignId,
        Long recipientId,
        AttributionMethod method,
        boolean holdout,
        int duplicateCandidates) {

    public enum Outcome {
        ATTRIBUTED,
        UNMATCHED,
        INTERNAL,
        BLACKLISTED
    }

    public static final MatchResult UNMATCHED = new MatchResult(Outcome.UNMATCHED, null, null, null, false, 0);
    public static final MatchResult INTERNAL = new MatchResult(Outcome.INTERNAL, null, null, null, false, 0);
    public static final MatchResult BLACKLISTED = new MatchResult(Outcome.BLACKLISTED, null, null, null, false, 0);

    static MatchResult attributed(MatchCandidate recipient, AttributionMethod method, boolean holdout, int duplicates) {
        return new MatchResult(
                Outcome.ATTRIBUTED, recipient.campaignId(), recipient.recipientId(), method, holdout, duplicates);
    }

    static MatchResult attributedToCampaign(long campaignId, AttributionMethod method) {
        return new MatchResult(Outcome.ATTRIBUTED, campaignId, null, method, false, 0);
    }

    public boolean isAttributed() {
        return outcome == Outcome.ATTRIBUTED;
    }
}
