package io.paperrun.campaign;

import java.util.Locale;

public enum CampaignStatus {
    PENDING,
    ACTIVE,
    PAUSED,
    COMPLETED,
    ARCHIVED,
    ERROR;

    /** Post-launch: a holdout recipient's orders count only for these (rules, stage A step 4). */
    public boolean isPostLaunch() {
        return this == ACTIVE || this == COMPLETED || this == PAUSED;
    }

    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static CampaignStatus of(String code) {
        return valueOf(code.trim().toUpperCase(Locale.ROOT));
    }
}
