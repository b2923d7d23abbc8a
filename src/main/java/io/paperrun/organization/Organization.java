package io.paperrun.organization;

import io.paperrun.attribution.OrganizationRules;

import java.util.List;

public record Organization(long id, String slug, String name, String emailDomain, boolean syncOrders,
                           List<String> blacklistCodeSubstrings) {

    public OrganizationRules rules() {
        return new OrganizationRules(emailDomain, blacklistCodeSubstrings);
    }
}
