package io.paperrun.campaign;

import io.paperrun.batch.Excerpt;
import io.paperrun.batch.StorableValues;
import io.paperrun.organization.Organization;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;

/**
 * An apply file: organizations and campaigns declared in YAML. Parsing checks
 * every field and reports every problem, naming the field; a file with any
 * problem is refused whole.
 */
public final class ApplyFile {

    private static final Set<String> ORGANIZATION_FIELDS = Set.of("slug", "name", "email_domain", "sync_orders",
            "order_blacklist");
    private static final Set<String> BLACKLIST_FIELDS = Set.of("discount_code_contains");
    private static final Set<String> CAMPAIGN_FIELDS = Set.of("key", "organization", "name", "status", "start_date",
            "end_date", "first_send_date", "flow_trigger", "discount_code", "use_unique_discount", "holdout",
            "cost_per_piece");
    private static final Set<String> HOLDOUT_FIELDS = Set.of("enabled", "percentage", "absolute_maximum");
    /** The largest cost per piece campaign.cost_per_piece (numeric(10,4)) holds. */
    private static final BigDecimal MAX_COST_PER_PIECE = new BigDecimal("999999.9999");

    /** An organization as declared (no id yet). */
    public record OrganizationSpec(String slug, String name, String emailDomain, boolean syncOrders,
                                   List<String> blacklist) {
        public Organization toOrganization() {
            return new Organization(0, slug, name, emailDomain, syncOrders, blacklist);
        }
    }

    /** A campaign as declared; its organization by slug. */
    public record CampaignSpec(String organization, Campaign campaign) {
    }

    private final List<OrganizationSpec> organizations;
    private final List<CampaignSpec> campaigns;

    private ApplyFile(List<OrganizationSpec> organizations, List<CampaignSpec> campaigns) {
        this.organizations = organizations;
        this.campaigns = campaigns;
    }

    public List<OrganizationSpec> organizations() {
        return organizations;
    }

    public List<CampaignSpec> campaigns() {
        return campaigns;
    }

    public static ApplyFile read(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            JsonNode root;
            try {
                root = new YAMLMapper().readTree(in);
            } catch (JacksonException e) {
                throw new InvalidApplyFileException(file, List.of(yamlProblem(e)));
            }
            Parser parser = new Parser();
            ApplyFile parsed = parser.parse(root);
            if (!parser.errors.isEmpty()) {
                throw new InvalidApplyFileException(file, parser.errors);
            }
            return parsed;
        }
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

    private static final class Parser {
        private final List<String> errors = new ArrayList<>();

        ApplyFile parse(JsonNode root) {
            if (root == null || root.isNull() || root.isMissingNode()) {
                errors.add("the file is empty");
                return null;
            }
            if (!root.isObject()) {
                errors.add("the top level must be a mapping with 'organizations' and/or 'campaigns'");
                return null;
            }
            unknownFields(root, "", Set.of("organizations", "campaigns"));
            List<OrganizationSpec> orgs = list(root, "organizations", this::organization);
            List<CampaignSpec> campaigns = list(root, "campaigns", this::campaign);
            Set<String> slugs = new HashSet<>();
            for (int i = 0; i < orgs.size(); i++) {
                if (orgs.get(i) != null && !slugs.add(orgs.get(i).slug())) {
                    errors.add("organizations[" + i + "].slug: " + Excerpt.quote(orgs.get(i).slug()) + " is declared twice");
                }
            }
            Set<String> keys = new HashSet<>();
            for (int i = 0; i < campaigns.size(); i++) {
                CampaignSpec c = campaigns.get(i);
                if (c != null && !keys.add(c.organization() + "/" + c.campaign().key())) {
                    errors.add("campaigns[" + i + "].key: " + Excerpt.quote(c.campaign().key()) + " is declared twice for "
                            + "organization " + Excerpt.quote(c.organization()));
                }
            }
            return new ApplyFile(orgs.stream().filter(o -> o != null).toList(),
                    campaigns.stream().filter(c -> c != null).toList());
        }

        private <T> List<T> list(JsonNode root, String field, java.util.function.BiFunction<JsonNode, String, T> item) {
            JsonNode node = root.get(field);
            List<T> out = new ArrayList<>();
            if (node == null || node.isNull()) {
                return out;
            }
            if (!node.isArray()) {
                errors.add(field + ": must be a list");
                return out;
            }
            int i = 0;
            for (JsonNode element : node.values()) {
                String path = field + "[" + i++ + "]";
                if (!element.isObject()) {
                    errors.add(path + ": must be a mapping");
                    out.add(null);
                } else {
                    out.add(item.apply(element, path));
                }
            }
            return out;
        }

        OrganizationSpec organization(JsonNode node, String path) {
            unknownFields(node, path, ORGANIZATION_FIELDS);
            String slug = requiredText(node, path, "slug");
            if (slug != null && !slug.matches("[a-z0-9][a-z0-9_-]*")) {
                errors.add(path + ".slug: " + Excerpt.quote(slug) + " must be lowercase letters, digits, '-' or '_'");
            }
            String domain = text(node, path, "email_domain");
            List<String> blacklist = List.of();
            JsonNode bl = node.get("order_blacklist");
            if (bl != null && !bl.isNull()) {
                if (!bl.isObject()) {
                    errors.add(path + ".order_blacklist: must be a mapping");
                } else {
                    unknownFields(bl, path + ".order_blacklist", BLACKLIST_FIELDS);
                    blacklist = stringList(bl, path + ".order_blacklist", "discount_code_contains");
                }
            }
            return new OrganizationSpec(slug, text(node, path, "name"),
                    domain == null ? null : domain.trim().toLowerCase(Locale.ROOT),
                    bool(node, path, "sync_orders", false), blacklist);
        }

        CampaignSpec campaign(JsonNode node, String path) {
            String key = requiredText(node, path, "key");
            String label = key == null ? path : path + " (" + key + ")";
            unknownFields(node, label, CAMPAIGN_FIELDS);
            String org = requiredText(node, label, "organization");
            CampaignStatus status = enumValue(node, label, "status", CampaignStatus::of, CampaignStatus.PENDING,
                    "pending, active, paused, completed, archived or error");
            FlowTrigger trigger = enumValue(node, label, "flow_trigger", FlowTrigger::of, FlowTrigger.STANDARD,
                    "standard, first_purchase or bfcm");
            LocalDate start = date(node, label, "start_date");
            LocalDate end = date(node, label, "end_date");
            if (start != null && end != null && end.isBefore(start)) {
                errors.add(label + ".end_date: " + end + " is before start_date " + start);
            }
            if (trigger == FlowTrigger.BFCM) {
                if (end == null && (node.get("end_date") == null || node.get("end_date").isNull())) {
                    errors.add(label + ".end_date: required for flow_trigger bfcm");
                } else if (end != null && !AttributionWindow.isValidBfcmEndDate(end)) {
                    errors.add(label + ".end_date: " + end
                            + " is not between 13 November and 31 December, as flow_trigger bfcm requires");
                }
            }
            Instant firstSend = instant(node, label, "first_send_date");
            String code = text(node, label, "discount_code");
            boolean holdoutEnabled = false;
            BigDecimal pct = null;
            Integer max = null;
            JsonNode holdout = node.get("holdout");
            if (holdout != null && !holdout.isNull()) {
                if (!holdout.isObject()) {
                    errors.add(label + ".holdout: must be a mapping");
                } else {
                    String hp = label + ".holdout";
                    unknownFields(holdout, hp, HOLDOUT_FIELDS);
                    holdoutEnabled = bool(holdout, hp, "enabled", false);
                    pct = decimal(holdout, hp, "percentage");
                    if (pct != null && (pct.signum() < 0 || pct.compareTo(BigDecimal.valueOf(100)) > 0)) {
                        errors.add(hp + ".percentage: " + pct.toPlainString() + " is not between 0 and 100");
                    } else if (pct != null && pct.scale() > 2) {
                        errors.add(hp + ".percentage: " + pct.toPlainString() + " has more than 2 decimals");
                    }
                    BigDecimal m = decimal(holdout, hp, "absolute_maximum");
                    if (m != null) {
                        if (m.signum() < 0 || m.stripTrailingZeros().scale() > 0
                                || m.compareTo(BigDecimal.valueOf(Integer.MAX_VALUE)) > 0) {
                            errors.add(hp + ".absolute_maximum: must be a whole number from 0 to "
                                    + Integer.MAX_VALUE);
                        } else {
                            max = m.intValueExact();
                        }
                    }
                    if (holdoutEnabled && pct == null) {
                        errors.add(hp + ".percentage: required when the holdout is enabled");
                    }
                }
            }
            BigDecimal cost = decimal(node, label, "cost_per_piece");
            if (cost != null && cost.signum() < 0) {
                errors.add(label + ".cost_per_piece: must not be negative");
            } else if (cost != null && cost.compareTo(MAX_COST_PER_PIECE) > 0) {
                errors.add(label + ".cost_per_piece: " + cost.toPlainString() + " is more than "
                        + MAX_COST_PER_PIECE.toPlainString());
            } else if (cost != null && cost.scale() > 4) {
                errors.add(label + ".cost_per_piece: " + cost.toPlainString() + " has more than 4 decimals");
            }
            if (key == null || org == null) {
                return null;
            }
            return new CampaignSpec(org, new Campaign(null, 0, key, text(node, label, "name"), status, start, end,
                    firstSend, trigger, code == null || code.isBlank() ? null : code.trim(),
                    bool(node, label, "use_unique_discount", false), holdoutEnabled, pct, max, cost));
        }

        private void unknownFields(JsonNode node, String path, Set<String> known) {
            Set<String> unknown = new LinkedHashSet<>(node.propertyNames());
            unknown.removeAll(known);
            for (String field : unknown) {
                errors.add((path.isEmpty() ? "" : path + ".") + field + ": unknown field (expected one of "
                        + String.join(", ", known.stream().sorted().toList()) + ")");
            }
        }

        private String requiredText(JsonNode node, String path, String field) {
            String value = text(node, path, field);
            if (value == null || value.isBlank()) {
                if (value == null && !hasScalarError(node, field)) {
                    errors.add(path + "." + field + ": required");
                } else if (value != null) {
                    errors.add(path + "." + field + ": must not be empty");
                }
                return null;
            }
            return value.trim();
        }

        private boolean hasScalarError(JsonNode node, String field) {
            JsonNode v = node.get(field);
            return v != null && !v.isNull() && !v.isValueNode();
        }

        private String text(JsonNode node, String path, String field) {
            JsonNode v = node.get(field);
            if (v == null || v.isNull()) {
                return null;
            }
            if (!v.isValueNode()) {
                errors.add(path + "." + field + ": must be a single value");
                return null;
            }
            return v.asString();
        }

        private boolean bool(JsonNode node, String path, String field, boolean fallback) {
            JsonNode v = node.get(field);
            if (v == null || v.isNull()) {
                return fallback;
            }
            if (!v.isBoolean()) {
                errors.add(path + "." + field + ": must be true or false");
                return fallback;
            }
            return v.booleanValue();
        }

        private BigDecimal decimal(JsonNode node, String path, String field) {
            JsonNode v = node.get(field);
            if (v == null || v.isNull()) {
                return null;
            }
            try {
                return v.isNumber() ? v.decimalValue().stripTrailingZeros()
                        : new BigDecimal(v.asString().trim()).stripTrailingZeros();
            } catch (NumberFormatException e) {
                errors.add(path + "." + field + ": " + Excerpt.quote(v.asString()) + " is not a number");
                return null;
            }
        }

        private LocalDate date(JsonNode node, String path, String field) {
            String v = text(node, path, field);
            if (v == null) {
                return null;
            }
            try {
                LocalDate date = LocalDate.parse(v.trim());
                if (!StorableValues.date(date)) {
                    errors.add(path + "." + field + ": " + Excerpt.quote(v) + " is outside " + StorableValues.YEARS);
                    return null;
                }
                return date;
            } catch (DateTimeParseException e) {
                errors.add(path + "." + field + ": " + Excerpt.quote(v) + " is not a date (YYYY-MM-DD)");
                return null;
            }
        }

        private Instant instant(JsonNode node, String path, String field) {
            String v = text(node, path, field);
            if (v == null) {
                return null;
            }
            try {
                Instant instant = java.time.OffsetDateTime.parse(v.trim()).toInstant();
                if (!StorableValues.instant(instant)) {
                    errors.add(path + "." + field + ": " + Excerpt.quote(v) + " is outside " + StorableValues.YEARS);
                    return null;
                }
                return StorableValues.asStored(instant);
            } catch (DateTimeParseException e) {
                errors.add(path + "." + field + ": '" + v
                        + "' is not an ISO-8601 instant with offset (e.g. 2024-01-02T00:00:00Z)");
                return null;
            }
        }

        private <E> E enumValue(JsonNode node, String path, String field, Function<String, E> parse, E fallback,
                                String expected) {
            String v = text(node, path, field);
            if (v == null) {
                return fallback;
            }
            try {
                return parse.apply(v);
            } catch (IllegalArgumentException e) {
                errors.add(path + "." + field + ": " + Excerpt.quote(v) + " is not one of " + expected);
                return fallback;
            }
        }

        private List<String> stringList(JsonNode node, String path, String field) {
            JsonNode v = node.get(field);
            if (v == null || v.isNull()) {
                return List.of();
            }
            if (!v.isArray()) {
                errors.add(path + "." + field + ": must be a list");
                return List.of();
            }
            List<String> out = new ArrayList<>();
            for (JsonNode e : v.values()) {
                if (!e.isValueNode() || e.asString().isBlank()) {
                    errors.add(path + "." + field + ": entries must be non-empty text");
                } else {
                    out.add(e.asString().trim());
                }
            }
            return List.copyOf(out);
        }
    }

    /**
     * The YAML parser's complaint in one line, with where it is: its message quotes the source and points at
     * it over several lines ("while parsing a flow node / in reader, line 2, column 1: / ... / ^ / expected ...").
     */
    static String yamlProblem(JacksonException e) {
        String message = e.getOriginalMessage() == null ? e.getClass().getSimpleName() : e.getOriginalMessage();
        List<String> said = message.lines()
                .filter(l -> !l.isBlank() && !Character.isWhitespace(l.charAt(0)))
                .map(String::strip).toList();
        var at = e.getLocation();
        String where = at == null || at.getLineNr() < 1 ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
        return "not valid YAML" + where + ": " + String.join("; ", said.isEmpty() ? List.of(message.strip()) : said);
    }
}
