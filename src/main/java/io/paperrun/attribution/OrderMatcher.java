package io.paperrun.attribution;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Stage A, matching: credits one order to at most one recipient or campaign, by
 * the steps of the attribution rules, first match wins. A pure function: the
 * caller looks up the candidates (all of the order's own organization) and
 * stores the result.
 */
public final class OrderMatcher {

    private static final BigDecimal HOLDOUT_MINIMUM_VALUE = new BigDecimal("1.00");

    private OrderMatcher() {}

    /**
     * @param emailCandidates     sent and holdout recipients whose email is the order's
     * @param addressCandidates   sent and holdout recipients whose address key is the order's
     * @param uniqueCodeOwners    recipients owning one of the order's codes, in campaigns using unique codes
     * @param campaignCodes       campaigns whose campaign-level code is one of the order's codes
     * @param codeCampaignRecipients recipients of those campaigns with the order's email or address key
     */
    public static MatchResult match(
            OrderFacts order,
            OrganizationRules organization,
            Collection<MatchCandidate> emailCandidates,
            Collection<MatchCandidate> addressCandidates,
            Collection<MatchCandidate> uniqueCodeOwners,
            Collection<CampaignCode> campaignCodes,
            Collection<MatchCandidate> codeCampaignRecipients) {
        // 0. Internal order.
        if (organization.isInternal(order.email())) {
            return MatchResult.INTERNAL;
        }
        MatchResult result = firstMatch(
                order, emailCandidates, addressCandidates, uniqueCodeOwners, campaignCodes, codeCampaignRecipients);
        // 5. Blacklist.
        if (result.isAttributed() && organization.isBlacklisted(order.codesUpper())) {
            return MatchResult.BLACKLISTED;
        }
        return result;
    }

    private static MatchResult firstMatch(
            OrderFacts order,
            Collection<MatchCandidate> emailCandidates,
            Collection<MatchCandidate> addressCandidates,
            Collection<MatchCandidate> uniqueCodeOwners,
            Collection<CampaignCode> campaignCodes,
            Collection<MatchCandidate> codeCampaignRecipients) {
        // 1. Email: sent recipients, sent_at <= order time, same email.
        Ranked byEmail = byEmail(order, emailCandidates);
        if (byEmail != null) {
            return MatchResult.attributed(byEmail.winner(), AttributionMethod.EMAIL, false, byEmail.others());
        }
        // 2. Physical address: same eligibility, by address key; an earlier active subscription voids it.
        Ranked byAddress = best(c -> matchesAddress(order, c) && isEligibleSent(c, order), addressCandidates);
        if (byAddress != null) {
            MatchCandidate chosen = byAddress.winner();
            boolean subscribedBeforeSend = order.activeSubscriptionStart() != null
                    && order.activeSubscriptionStart().isBefore(chosen.sentAt());
            if (!subscribedBeforeSend) {
                return MatchResult.attributed(chosen, AttributionMethod.PHYSICAL_ADDRESS, false, byAddress.others());
            }
        }
        // 3. Discount code: (a) a recipient's unique code beats (b) a campaign-level code.
        Optional<MatchResult> byCode =
                matchDiscountCode(order, uniqueCodeOwners, campaignCodes, codeCampaignRecipients);
        if (byCode.isPresent()) {
            return byCode.get();
        }
        // 4. Holdout: by email or address key, order strictly after creation, post-launch campaign, value >= 1.00.
        if (order.total().compareTo(HOLDOUT_MINIMUM_VALUE) >= 0) {
            Ranked holdouts = best(
                    c -> c.isHoldout()
                            && (matchesEmail(order, c) || matchesAddress(order, c))
                            && order.orderedAt().isAfter(c.createdAt())
                            && c.campaignStatus().isPostLaunch(),
                    emailCandidates,
                    addressCandidates);
            if (holdouts != null) {
                MatchCandidate chosen = holdouts.winner();
                AttributionMethod method =
                        matchesEmail(order, chosen) ? AttributionMethod.EMAIL : AttributionMethod.PHYSICAL_ADDRESS;
                return MatchResult.attributed(chosen, method, true, holdouts.others());
            }
        }
        return MatchResult.UNMATCHED;
    }

    private static Optional<MatchResult> matchDiscountCode(
            OrderFacts order,
            Collection<MatchCandidate> uniqueCodeOwners,
            Collection<CampaignCode> campaignCodes,
            Collection<MatchCandidate> codeCampaignRecipients) {
        if (order.codesUpper().isEmpty()) {
            return Optional.empty();
        }
        Ranked owners = best(
                c -> c.campaignUsesUniqueCodes()
                        && !c.isHoldout()
                        && c.discountCodeUpper() != null
                        && order.codesUpper().contains(c.discountCodeUpper()),
                uniqueCodeOwners);
        if (owners != null) {
            return Optional.of(
                    MatchResult.attributed(owners.winner(), AttributionMethod.DISCOUNT_CODE, false, owners.others()));
        }
        CampaignCode campaign = null;
        for (CampaignCode code : campaignCodes) {
            if (order.codesUpper().contains(code.codeUpper())
                    && (campaign == null || CampaignCode.PREFERRED_FIRST.compare(code, campaign) < 0)) {
                campaign = code;
            }
        }
        if (campaign == null) {
            return Optional.empty();
        }
        long campaignId = campaign.campaignId();
        Ranked sameEmail = best(c -> c.campaignId() == campaignId && matchesEmail(order, c), codeCampaignRecipients);
        if (sameEmail != null) {
            return Optional.of(MatchResult.attributed(
                    sameEmail.winner(), AttributionMethod.DISCOUNT_CODE, false, sameEmail.others()));
        }
        Ranked sameAddress =
                best(c -> c.campaignId() == campaignId && matchesAddress(order, c), codeCampaignRecipients);
        if (sameAddress != null) {
            return Optional.of(MatchResult.attributed(
                    sameAddress.winner(), AttributionMethod.DISCOUNT_CODE, false, sameAddress.others()));
        }
        return Optional.of(MatchResult.attributedToCampaign(campaignId, AttributionMethod.DISCOUNT_CODE));
    }

    /**
     * Whether step 1 credits the order to one of these candidates, whatever the other steps find: then
     * the order's address candidates need not be looked up.
     */
    public static boolean creditedByEmail(OrderFacts order, Collection<MatchCandidate> emailCandidates) {
        return byEmail(order, emailCandidates) != null;
    }

    /** Step 1's choice among the order's email candidates, or null. */
    private static Ranked byEmail(OrderFacts order, Collection<MatchCandidate> emailCandidates) {
        return best(c -> matchesEmail(order, c) && isEligibleSent(c, order), emailCandidates);
    }

    private static boolean isEligibleSent(MatchCandidate c, OrderFacts order) {
        return c.isSent() && c.sentAt() != null && !c.sentAt().isAfter(order.orderedAt());
    }

    private static boolean matchesEmail(OrderFacts order, MatchCandidate c) {
        return order.emailLower() != null && order.emailLower().equals(c.emailLower());
    }

    private static boolean matchesAddress(OrderFacts order, MatchCandidate c) {
        return order.addressKey() != null && order.addressKey().equals(c.addressKey());
    }

    /** The candidate that wins a step, and how many other distinct candidates qualified in it. */
    private record Ranked(MatchCandidate winner, int others) {}

    /**
     * The qualifying candidates of the given collections, each once: the most recently created wins
     * ({@link MatchCandidate#MOST_RECENT_FIRST}); null when none qualifies. A loop, not a stream: it runs
     * up to five times for each order synced.
     */
    @SafeVarargs
    private static Ranked best(Predicate<MatchCandidate> qualifies, Collection<MatchCandidate>... sources) {
        List<MatchCandidate> qualifying = null;
        for (Collection<MatchCandidate> source : sources) {
            for (MatchCandidate c : source) {
                if (c != null && qualifies.test(c)) {
                    if (qualifying == null) {
                        qualifying = new ArrayList<>(2);
                    }
                    if (!qualifying.contains(c)) {
                        qualifying.add(c);
                    }
                }
            }
        }
        if (qualifying == null) {
            return null;
        }
        MatchCandidate winner = qualifying.get(0);
        for (MatchCandidate c : qualifying) {
            if (MatchCandidate.MOST_RECENT_FIRST.compare(c, winner) < 0) {
                winner = c;
            }
        }
        return new Ranked(winner, qualifying.size() - 1);
    }
}
