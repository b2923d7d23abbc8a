package io.paperrun.campaign;

import io.paperrun.batch.Excerpt;
import io.paperrun.campaign.YamlBinding.Bound;
import io.paperrun.campaign.YamlBinding.Problem;
import io.paperrun.organization.Organization;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Digits;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * An apply file: organizations and campaigns declared in YAML, bound to the records below, checked field by field
 * and across fields. Every problem is reported, naming the field; a file with any problem is refused whole.
 */
public final class ApplyFile {

    private static final String WHOLE_NUMBER = "must be a whole number from 0 to 2147483647";
    /** Any number of digits before the decimal point: {@link Digits} here limits the decimals only. */
    private static final int ANY_WHOLE_DIGITS = Integer.MAX_VALUE;
    /** Problems by the entry they are in: the file's own fields, organizations, then campaigns, in file order. */
    private static final Comparator<Problem> BY_ENTRY = Comparator.comparingInt((Problem p) -> p.path()
                            .isEmpty()
                    ? -1
                    : List.of("organizations", "campaigns").indexOf(p.path().get(0)))
            .thenComparingInt(p -> p.path().size() > 1 && p.path().get(1) instanceof Integer index ? index : -1);

    /** The file: its two lists, each optional. */
    record Declared(
            List<@NotNull(message = "must be a mapping") @Valid OrganizationSpec> organizations,
            List<@NotNull(message = "must be a mapping") @Valid CampaignSpec> campaigns) {
        Declared {
            organizations = organizations == null ? List.of() : organizations;
            campaigns = campaigns == null ? List.of() : campaigns;
        }
    }

    /** An organization as declared (no id yet). */
    public record OrganizationSpec(
            @NotNull(message = "required")
            @Size(min = 1, message = "must not be empty")
            @Pattern(regexp = "|[a-z0-9][a-z0-9_-]*", message = "{value} must be lowercase letters, digits, '-' or '_'")
            String slug,

            String name,
            String emailDomain,
            boolean syncOrders,
            @Valid OrderBlacklist orderBlacklist,
            ApplyIntegrations.OrderSource orderSource,
            @Valid ApplyIntegrations integrations,
            @Valid Suppression suppression) {

        public OrganizationSpec {
            slug = slug == null ? null : slug.trim();
            emailDomain = emailDomain == null ? null : emailDomain.trim().toLowerCase(Locale.ROOT);
            orderSource = orderSource == null ? ApplyIntegrations.OrderSource.CSV : orderSource;
        }

        public Organization toOrganization() {
            return new Organization(
                    0,
                    slug,
                    name,
                    emailDomain,
                    syncOrders,
                    orderBlacklist == null ? List.of() : orderBlacklist.discountCodeContains(),
                    orderSource.code(),
                    integrations == null ? Map.of() : integrations.settings(),
                    suppression == null || suppression.minDaysBetweenMailings() == null
                            ? null
                            : suppression.minDaysBetweenMailings().intValueExact());
        }
    }

    /** Who must not be mailed: the frequency cap across the organization's campaigns, in days. */
    public record Suppression(
            @DecimalMin(value = "0", message = WHOLE_NUMBER)
            @DecimalMax(value = "2147483647", message = WHOLE_NUMBER)
            @Digits(integer = ANY_WHOLE_DIGITS, fraction = 0, message = WHOLE_NUMBER)
            BigDecimal minDaysBetweenMailings) {}

    /** Where a campaign's recipients come from: {@code csv} (imported, the default) or a Klaviyo segment. */
    public record Audience(@NotNull(message = "required") AudienceSource source, String segmentId) {}

    public enum AudienceSource {
        CSV,
        KLAVIYO
    }

    /** Orders whose discount code contains one of these are never attributed. */
    public record OrderBlacklist(List<@NotBlank(message = "must be non-empty text") String> discountCodeContains) {
        public OrderBlacklist {
            discountCodeContains = discountCodeContains == null
                    ? List.of()
                    : discountCodeContains.stream()
                            .map(code -> code == null ? null : code.trim())
                            .toList();
        }
    }

    /** A campaign as declared; its organization by slug. */
    public record CampaignSpec(
            @NotNull(message = "required") @Size(min = 1, message = "must not be empty")
            String key,

            @NotNull(message = "required") @Size(min = 1, message = "must not be empty")
            String organization,

            String name,
            CampaignStatus status,
            LocalDate startDate,
            LocalDate endDate,
            Instant firstSendDate,
            FlowTrigger flowTrigger,
            String discountCode,
            boolean useUniqueDiscount,
            @Valid Holdout holdout,
            // campaign.cost_per_piece is numeric(10,4)
            @DecimalMin(value = "0", message = "must not be negative")
            @DecimalMax(value = "999999.9999", message = "{value} is more than 999999.9999")
            @Digits(integer = ANY_WHOLE_DIGITS, fraction = 4, message = "{value} has more than 4 decimals")
            BigDecimal costPerPiece,

            @Valid Audience audience,
            PostcardSettings.PrinterName printer,
            @Valid UniqueCodesSpec uniqueCodes,
            @Valid PostcardSpec postcard) {

        public CampaignSpec {
            key = key == null ? null : key.trim();
            organization = organization == null ? null : organization.trim();
            status = status == null ? CampaignStatus.PENDING : status;
            flowTrigger = flowTrigger == null ? FlowTrigger.STANDARD : flowTrigger;
            discountCode = discountCode == null || discountCode.isBlank() ? null : discountCode.trim();
        }

        /** The campaign to store in that organization, with its design as read from its templates. */
        Campaign campaign(long organizationId, PostcardSettings.Design design) {
            return new Campaign(
                    null,
                    organizationId,
                    key,
                    name,
                    status,
                    startDate,
                    endDate,
                    firstSendDate,
                    flowTrigger,
                    discountCode,
                    useUniqueDiscount || uniqueCodes != null,
                    holdout != null && holdout.enabled(),
                    holdout == null ? null : holdout.percentage(),
                    holdout == null || holdout.absoluteMaximum() == null
                            ? null
                            : holdout.absoluteMaximum().intValueExact(),
                    costPerPiece,
                    audience == null
                            ? Campaign.Audience.CSV
                            : new Campaign.Audience(
                                    audience.source().name().toLowerCase(Locale.ROOT), audience.segmentId()),
                    new PostcardSettings(
                            printer,
                            uniqueCodes == null
                                    ? null
                                    : new PostcardSettings.UniqueCodes(
                                            uniqueCodes.generate(),
                                            uniqueCodes.prefix(),
                                            uniqueCodes.length() == null
                                                    ? PostcardSettings.UniqueCodes.DEFAULT_LENGTH
                                                    : uniqueCodes.length().intValueExact()),
                            design));
        }
    }

    /** {@code unique_codes}: generated with a prefix and a random part of {@code length} characters, or drawn from the pool. */
    public record UniqueCodesSpec(
            boolean generate,
            String prefix,

            @DecimalMin(value = "4", message = "{value} is not between 4 and 32")
            @DecimalMax(value = "32", message = "{value} is not between 4 and 32")
            @Digits(integer = ANY_WHOLE_DIGITS, fraction = 0, message = "must be a whole number from 4 to 32")
            BigDecimal length) {
        public UniqueCodesSpec {
            prefix = prefix == null ? "" : prefix.trim();
        }
    }

    /** {@code postcard}: the size, the templates (paths relative to the apply file) and what the printer needs. */
    public record PostcardSpec(
            @NotNull(message = "required") String size,
            @NotBlank(message = "required") String front,
            @NotBlank(message = "required") String back,
            @Valid ReturnAddressSpec returnAddress,
            String mailType,
            String useType,
            String landingUrl) {}

    /** {@code postcard.return_address}. */
    public record ReturnAddressSpec(
            @NotBlank(message = "required") String name,
            @NotBlank(message = "required") String address1,
            String address2,
            String city,
            String region,
            String zip,
            String country) {}

    /** The campaign's control group: a share of its recipients, at most an absolute number of them. */
    public record Holdout(
            boolean enabled,

            @DecimalMin(value = "0", message = "{value} is not between 0 and 100")
            @DecimalMax(value = "100", message = "{value} is not between 0 and 100")
            @Digits(integer = ANY_WHOLE_DIGITS, fraction = 2, message = "{value} has more than 2 decimals")
            BigDecimal percentage,

            @DecimalMin(value = "0", message = WHOLE_NUMBER)
            @DecimalMax(value = "2147483647", message = WHOLE_NUMBER)
            @Digits(integer = ANY_WHOLE_DIGITS, fraction = 0, message = WHOLE_NUMBER)
            BigDecimal absoluteMaximum) {}

    private final List<OrganizationSpec> organizations;
    private final List<CampaignSpec> campaigns;
    private final List<PostcardSettings.Design> designs;

    private ApplyFile(Declared declared, List<PostcardSettings.Design> designs) {
        this.organizations = List.copyOf(declared.organizations());
        this.campaigns = List.copyOf(declared.campaigns());
        this.designs = new ArrayList<>(designs);
    }

    /** The campaign {@code index} of the file, to store in the organization {@code organizationId}. */
    public Campaign campaign(int index, long organizationId) {
        return campaigns.get(index).campaign(organizationId, designs.get(index));
    }

    public List<OrganizationSpec> organizations() {
        return organizations;
    }

    public List<CampaignSpec> campaigns() {
        return campaigns;
    }

    /** The file, bound and checked whole. */
    public static ApplyFile read(Path file) throws IOException {
        Bound<Declared> bound =
                YamlBinding.read(file, Declared.class, "a mapping with 'organizations' and/or 'campaigns'");
        List<Problem> problems = new ArrayList<>(bound.problems());
        List<PostcardSettings.Design> designs = new ArrayList<>();
        if (bound.value() != null) {
            List<Problem> rules = new ArrayList<>(acrossFields(bound.value()));
            Path directory = file.toAbsolutePath().getParent();
            for (int i = 0; i < bound.value().campaigns().size(); i++) {
                CampaignSpec campaign = bound.value().campaigns().get(i);
                designs.add(
                        campaign == null
                                ? null
                                : PostcardDesigns.read(directory, campaign, i, bound.value(), rules::add));
            }
            problems.addAll(rules.stream()
                    .filter(rule ->
                            bound.problems().stream().noneMatch(p -> p.path().equals(rule.path())))
                    .toList());
        }
        if (!problems.isEmpty()) {
            problems.sort(BY_ENTRY);
            throw new InvalidApplyFileException(
                    file,
                    problems.stream()
                            .map(p -> where(p.path(), bound.value()) + p.message())
                            .toList());
        }
        return new ApplyFile(bound.value(), designs);
    }

    /** The rules that span fields or entries; a field that did not bind is left to its own problem. */
    private static List<Problem> acrossFields(Declared file) {
        List<Problem> problems = new ArrayList<>();
        Set<String> slugs = new HashSet<>();
        for (int i = 0; i < file.organizations().size(); i++) {
            OrganizationSpec org = file.organizations().get(i);
            if (org != null && given(org.slug()) && !slugs.add(org.slug())) {
                problems.add(new Problem(
                        List.of("organizations", i, "slug"), Excerpt.quote(org.slug()) + " is declared twice"));
            }
            if (org != null
                    && org.orderSource() != ApplyIntegrations.OrderSource.CSV
                    && (org.integrations() == null
                            || !org.integrations().declares(org.orderSource().code()))) {
                problems.add(new Problem(
                        List.of(
                                "organizations",
                                i,
                                "integrations",
                                org.orderSource().code()),
                        "required for order_source " + org.orderSource().code()));
            }
        }
        Set<List<String>> keys = new HashSet<>();
        for (int i = 0; i < file.campaigns().size(); i++) {
            CampaignSpec c = file.campaigns().get(i);
            if (c == null) {
                continue;
            }
            if (given(c.key()) && given(c.organization()) && !keys.add(List.of(c.organization(), c.key()))) {
                problems.add(new Problem(
                        List.of("campaigns", i, "key"),
                        Excerpt.quote(c.key()) + " is declared twice for organization "
                                + Excerpt.quote(c.organization())));
            }
            List<Object> endDate = List.of("campaigns", i, "end_date");
            if (c.startDate() != null && c.endDate() != null && c.endDate().isBefore(c.startDate())) {
                problems.add(new Problem(endDate, c.endDate() + " is before start_date " + c.startDate()));
            }
            if (c.flowTrigger() == FlowTrigger.BFCM && c.endDate() == null) {
                problems.add(new Problem(endDate, "required for flow_trigger bfcm"));
            } else if (c.flowTrigger() == FlowTrigger.BFCM && !AttributionWindow.isValidBfcmEndDate(c.endDate())) {
                problems.add(new Problem(
                        endDate,
                        c.endDate() + " is not between 13 November and 31 December, as flow_trigger bfcm requires"));
            }
            if (c.audience() != null
                    && c.audience().source() == AudienceSource.KLAVIYO
                    && !given(c.audience().segmentId())) {
                problems.add(new Problem(
                        List.of("campaigns", i, "audience", "segment_id"), "required for audience source klaviyo"));
            }
            if (c.holdout() != null && c.holdout().enabled() && c.holdout().percentage() == null) {
                problems.add(new Problem(
                        List.of("campaigns", i, "holdout", "percentage"), "required when the holdout is enabled"));
            }
        }
        return problems;
    }

    /** {@code campaigns[1] (bfcm-2025).end_date: }: a campaign is also named by its key, but in its key's problems. */
    private static String where(List<Object> path, Declared file) {
        CampaignSpec campaign = file != null
                        && path.size() > 2
                        && path.get(0).equals("campaigns")
                        && !path.get(2).equals("key")
                ? file.campaigns().get((Integer) path.get(1))
                : null;
        StringBuilder where = new StringBuilder();
        for (int i = 0; i < path.size(); i++) {
            where.append(
                    path.get(i) instanceof Integer index
                            ? "[" + index + "]"
                            : (i == 0 ? "" : ".") + Excerpt.of(path.get(i).toString()));
            if (i == 1 && campaign != null && given(campaign.key())) {
                where.append(" (").append(Excerpt.of(campaign.key())).append(')');
            }
        }
        return where.isEmpty() ? "" : where + ": ";
    }

    private static boolean given(String text) {
        return text != null && !text.isEmpty();
    }

    /** The file was refused; nothing of it was applied. */
    public static final class InvalidApplyFileException extends IOException {
        private final List<String> problems;

        InvalidApplyFileException(Path file, List<String> problems) {
            super(file + ": " + String.join("; ", problems));
            this.problems = List.copyOf(problems);
        }

        public List<String> problems() {
            return problems;
        }
    }
}
