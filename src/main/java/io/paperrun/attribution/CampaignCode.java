package io.paperrun.attribution;

import java.time.LocalDate;
import java.util.Comparator;

/** A campaign-level discount code (trimmed, uppercase) and what picks between campaigns sharing one. */
public record CampaignCode(long campaignId, String codeUpper, LocalDate startDate) {

    /** Latest start date first (a campaign without one last), then the highest id. */
    public static final Comparator<CampaignCode> PREFERRED_FIRST = Comparator.comparing(
                    CampaignCode::startDate, Comparator.nullsFirst(Comparator.<LocalDate>naturalOrder()))
            .thenComparingLong(CampaignCode::campaignId)
            .reversed();
}
