package io.paperrun.attribution;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Stage A, matching: credits one order to at most one recipient or campaign, by
 * the steps of the attribution rules, first match wins. A pure function: the
 * caller looks up the candidates (all of the order's own organization) and
 * stores the result.
 */
public final class OrderMatcher {

    private static final BigDecimal HOLDOUT_MINIMUM_VALUE = new BigDecimal("1.00");

    private OrderMatcher() {
    }

    /**
     * @param emailCandidates     sent and holdout recipients whose email is the order's
     * @param addressCandidates   sent and holdout recipients whose address key is the order's
     * @param uniqueCodeOwners    recipients owning one of the order's codes, in campaigns using unique codes
     * @param campaignCodes       campaigns whose campaign-level code is one of the order's codes
     * @param codeCampaignRecipients recipients of those campaigns with the order's email or address key
     */
    public static MatchResult match(OrderFacts order, OrganizationRules organization,
                                    Collection<MatchCandidate> emailCandidates,
                                    Collection<MatchCandidate> addressCandidates,
                                    Collection<MatchCandidate> uniqueCodeOwners,
                                    Collection<CampaignCode> campaignCodes,
                                    Collection<MatchCandidate> codeCampaignRecipients) {
        // 0. Internal order.
        if (organization.isInternal(order.email())) {
            return MatchResult.INTERNAL;
        }
        MatchResult result = firstMatch(order, emailCandidates, addressCandidates, uniqueCodeOwners, campaignCodes,
                codeCampaignRecipients);
        // 5. Blacklist.
        if (result.isAttributed() && organization.isBlacklisted(order.codesUpper())) {
            return MatchResult.BLACKLISTED;
        }
        return result;
    }

    private static MatchResult firstMatch(OrderFacts order,
                                          Collection<MatchCandidate> emailCandidates,
                                          Collection<MatchCandidate> addressCandidates,
                                          Collection<MatchCandidate> uniqueCodeOwners,
                                          Collection<CampaignCode> campaignCodes,
                                          Collection<MatchCandidate> codeCampaignRecipients) {
        // 1. Email: sent recipients, sent_at <= order time, same email.
        List<MatchCandidate> byEmail = ranked(emailCandidates, c -> order.emailLower() != null
                && order.emailLower().equals(c.emailLower()) && isEligibleSent(c, order));
        if (!byEmail.isEmpty()) {
            return MatchResult.attributed(byEmail.get(0), AttributionMethod.EMAIL, false, byEmail.size() - 1);
        }
        // 2. Physical address: same eligibility, by address key; an earlier active subscription voids it.
        List<MatchCandidate> byAddress = ranked(addressCandidates, c -> order.addressKey() != null
                && order.addressKey().equals(c.addressKey()) && isEligibleSent(c, order));
        if (!byAddress.isEmpty()) {
            MatchCandidate chosen = byAddress.get(0);
            boolean subscribedBeforeSend = order.activeSubscriptionStart() != null
                    && order.activeSubscriptionStart().isBefore(chosen.sentAt());
            if (!subscribedBeforeSend) {
                return MatchResult.attributed(chosen, AttributionMethod.PHYSICAL_ADDRESS, false, byAddress.size() - 1);
            }
        }
        // 3. Discount code: (a) a recipient's unique code beats (b) a campaign-level code.
        Optional<MatchResult> byCode = matchDiscountCode(order, uniqueCodeOwners, campaignCodes, codeCampaignRecipients);
        if (byCode.isPresent()) {
            return byCode.get();
        }
        // 4. Holdout: by email or address key, order strictly after creation, post-launch campaign, value >= 1.00.
        if (order.total().compareTo(HOLDOUT_MINIMUM_VALUE) >= 0) {
            List<MatchCandidate> pool = new ArrayList<>(emailCandidates);
            pool.addAll(addressCandidates);
            List<MatchCandidate> holdouts = ranked(pool, c -> c.isHoldout()
                    && (matchesEmail(order, c) || matchesAddress(order, c))
                    && order.orderedAt().isAfter(c.createdAt())
                    && c.campaignStatus().isPostLaunch());
            if (!holdouts.isEmpty()) {
                MatchCandidate chosen = holdouts.get(0);
                AttributionMethod method = matchesEmail(order, chosen)
                        ? AttributionMethod.EMAIL : AttributionMethod.PHYSICAL_ADDRESS;
                return MatchResult.attributed(chosen, method, true, holdouts.size() - 1);
            }
        }
        return MatchResult.UNMATCHED;
    }

    private static Optional<MatchResult> matchDiscountCode(OrderFacts order,
                                                           Collection<MatchCandidate> uniqueCodeOwners,
                                                           Collection<CampaignCode> campaignCodes,
                                                           Collection<MatchCandidate> codeCampaignRecipients) {
        if (order.codesUpper().isEmpty()) {
            return Optional.empty();
        }
        List<MatchCandidate> owners = ranked(uniqueCodeOwners, c -> c.campaignUsesUniqueCodes() && !c.isHoldout()
                && c.discountCodeUpper() != null && order.codesUpper().contains(c.discountCodeUpper()));
        if (!owners.isEmpty()) {
            return Optional.of(MatchResult.attributed(owners.get(0), AttributionMethod.DISCOUNT_CODE, false,
                    owners.size() - 1));
        }
        Optional<CampaignCode> campaign = campaignCodes.stream()
                .filter(code -> order.codesUpper().contains(code.codeUpper()))
                .min(CampaignCode.PREFERRED_FIRST);
        if (campaign.isEmpty()) {
            return Optional.empty();
        }
        long campaignId = campaign.get().campaignId();
        List<MatchCandidate> sameEmail = ranked(codeCampaignRecipients,
                c -> c.campaignId() == campaignId && matchesEmail(order, c));
        if (!sameEmail.isEmpty()) {
            return Optional.of(MatchResult.attributed(sameEmail.get(0), AttributionMethod.DISCOUNT_CODE, false,
                    sameEmail.size() - 1));
        }
        List<MatchCandidate> sameAddress = ranked(codeCampaignRecipients,
                c -> c.campaignId() == campaignId && matchesAddress(order, c));
        if (!sameAddress.isEmpty()) {
            return Optional.of(MatchResult.attributed(sameAddress.get(0), AttributionMethod.DISCOUNT_CODE, false,
                    sameAddress.size() - 1));
        }
        return Optional.of(MatchResult.attributedToCampaign(campaignId, AttributionMethod.DISCOUNT_CODE));
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

    /** The qualifying candidates, each once, most recently created first. */
    private static List<MatchCandidate> ranked(Collection<MatchCandidate> candidates,
                                               java.util.function.Predicate<MatchCandidate> qualifies) {
        return candidates.stream()
                .filter(Objects::nonNull)
                .filter(qualifies)
                .distinct()
                .sorted(MatchCandidate.MOST_RECENT_FIRST)
                .toList();
    }
}
