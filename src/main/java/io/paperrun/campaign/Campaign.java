package io.paperrun.campaign;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Objects;

/** A campaign as declared in an apply file and stored. */
public record Campaign(
        Long id,
        long organizationId,
        String key,
        String name,
        CampaignStatus status,
        LocalDate startDate,
        LocalDate endDate,
        Instant firstSendDate,
        FlowTrigger flowTrigger,
        String discountCode,
        boolean useUniqueDiscount,
        boolean holdoutEnabled,
        BigDecimal holdoutPercentage,
        Integer holdoutAbsoluteMaximum,
        BigDecimal costPerPiece,
        Audience audience,
        PostcardSettings postcards) {

    /** Where the campaign's recipients come from: {@code csv} (imported) or a Klaviyo segment. */
    public record Audience(String source, String segmentId) {
        public static final Audience CSV = new Audience("csv", null);

        public boolean isKlaviyo() {
            return "klaviyo".equals(source);
        }
    }

    public Campaign {
        audience = audience == null ? Audience.CSV : audience;
        postcards = postcards == null ? PostcardSettings.NONE : postcards;
    }

    /** A campaign with no postcard settings yet. */
    public Campaign(
            Long id,
            long organizationId,
            String key,
            String name,
            CampaignStatus status,
            LocalDate startDate,
            LocalDate endDate,
            Instant firstSendDate,
            FlowTrigger flowTrigger,
            String discountCode,
            boolean useUniqueDiscount,
            boolean holdoutEnabled,
            BigDecimal holdoutPercentage,
            Integer holdoutAbsoluteMaximum,
            BigDecimal costPerPiece,
            Audience audience) {
        this(
                id,
                organizationId,
                key,
                name,
                status,
                startDate,
                endDate,
                firstSendDate,
                flowTrigger,
                discountCode,
                useUniqueDiscount,
                holdoutEnabled,
                holdoutPercentage,
                holdoutAbsoluteMaximum,
                costPerPiece,
                audience,
                PostcardSettings.NONE);
    }

    /** A campaign whose recipients are imported. */
    public Campaign(
            Long id,
            long organizationId,
            String key,
            String name,
            CampaignStatus status,
            LocalDate startDate,
            LocalDate endDate,
            Instant firstSendDate,
            FlowTrigger flowTrigger,
            String discountCode,
            boolean useUniqueDiscount,
            boolean holdoutEnabled,
            BigDecimal holdoutPercentage,
            Integer holdoutAbsoluteMaximum,
            BigDecimal costPerPiece) {
        this(
                id,
                organizationId,
                key,
                name,
                status,
                startDate,
                endDate,
                firstSendDate,
                flowTrigger,
                discountCode,
                useUniqueDiscount,
                holdoutEnabled,
                holdoutPercentage,
                holdoutAbsoluteMaximum,
                costPerPiece,
                Audience.CSV);
    }

    public Campaign withId(Long newId) {
        return new Campaign(
                newId,
                organizationId,
                key,
                name,
                status,
                startDate,
                endDate,
                firstSendDate,
                flowTrigger,
                discountCode,
                useUniqueDiscount,
                holdoutEnabled,
                holdoutPercentage,
                holdoutAbsoluteMaximum,
                costPerPiece,
                audience,
                postcards);
    }

    /** Whether its recipients get a unique discount code each: {@code use_unique_discount} or {@code unique_codes}. */
    public boolean usesUniqueCodes() {
        return useUniqueDiscount || postcards.uniqueCodes() != null;
    }

    /** Whether stage B's inputs differ between two versions of a campaign. */
    public boolean processingSettingsDiffer(Campaign other) {
        return status != other.status
                || flowTrigger != other.flowTrigger
                || holdoutEnabled != other.holdoutEnabled
                || !Objects.equals(endDate, other.endDate)
                || !Objects.equals(firstSendDate, other.firstSendDate);
    }
}
