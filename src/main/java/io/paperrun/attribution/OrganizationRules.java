package io.paperrun.attribution;

import io.paperrun.campaign.DiscountCode;
import io.paperrun.organization.Organization;
import java.util.List;
import java.util.Locale;

/**
 * An organization's settings that stage A applies: its email domain and its blacklist, trimmed and in lower
 * case; a blacklist entry in the lower case of its {@link DiscountCode#upper} form ("straße" is "strasse").
 */
public record OrganizationRules(String emailDomain, List<String> blacklistedCodeSubstrings) {

    public static OrganizationRules of(Organization organization) {
        return new OrganizationRules(organization.emailDomain(), organization.blacklistCodeSubstrings());
    }

    public OrganizationRules {
        emailDomain = emailDomain == null ? null : emailDomain.trim().toLowerCase(Locale.ROOT);
        blacklistedCodeSubstrings = blacklistedCodeSubstrings == null
                ? List.of()
                : blacklistedCodeSubstrings.stream()
                        .map(s -> DiscountCode.upper(s).toLowerCase(Locale.ROOT))
                        .filter(s -> !s.isEmpty())
                        .toList();
    }

    /**
     * Step 0: the organization has an email domain longer than 3 characters and the order
     * email's domain equals it or is a subdomain of it (case-insensitive).
     */
    public boolean isInternal(String orderEmail) {
        if (emailDomain == null || emailDomain.length() <= 3 || orderEmail == null) {
            return false;
        }
        String email = orderEmail.trim();
        int at = email.lastIndexOf('@');
        int domainStart = email.length() - emailDomain.length();
        if (at < 0
                || domainStart <= at
                || !email.regionMatches(true, domainStart, emailDomain, 0, emailDomain.length())) {
            return false;
        }
        return domainStart == at + 1 || email.charAt(domainStart - 1) == '.';
    }

    /** Step 5: any of the order's codes contains a blacklisted substring (case-insensitive). */
    public boolean isBlacklisted(List<String> orderCodes) {
        if (blacklistedCodeSubstrings.isEmpty()) {
            return false;
        }
        for (String code : orderCodes) {
            String c = code.toLowerCase(Locale.ROOT);
            for (String substring : blacklistedCodeSubstrings) {
                if (c.contains(substring)) {
                    return true;
                }
            }
        }
        return false;
    }
}
