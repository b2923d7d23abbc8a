package io.paperrun.attribution;

import java.util.List;
import java.util.Locale;

/** An organization's settings that stage A applies: its email domain and its blacklist. */
public record OrganizationRules(String emailDomain, List<String> blacklistedCodeSubstrings) {

    /**
     * Step 0: the organization has an email domain longer than 3 characters and the order
     * email's domain equals it or is a subdomain of it (case-insensitive).
     */
    public boolean isInternal(String orderEmail) {
        if (emailDomain == null || orderEmail == null) {
            return false;
        }
        String domain = emailDomain.trim().toLowerCase(Locale.ROOT);
        if (domain.length() <= 3) {
            return false;
        }
        String email = orderEmail.trim().toLowerCase(Locale.ROOT);
        int at = email.lastIndexOf('@');
        if (at < 0) {
            return false;
        }
        String orderDomain = email.substring(at + 1);
        return orderDomain.equals(domain) || orderDomain.endsWith("." + domain);
    }

    /** Step 5: any of the order's codes contains a blacklisted substring (case-insensitive). */
    public boolean isBlacklisted(List<String> orderCodes) {
        for (String code : orderCodes) {
            String c = code.toLowerCase(Locale.ROOT);
            for (String substring : blacklistedCodeSubstrings) {
                String s = substring.trim().toLowerCase(Locale.ROOT);
                if (!s.isEmpty() && c.contains(s)) {
                    return true;
                }
            }
        }
        return false;
    }
}
