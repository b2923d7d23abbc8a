package io.paperrun.campaign;

import io.paperrun.batch.Excerpt;
import io.paperrun.campaign.ApplyFile.CampaignSpec;
import io.paperrun.campaign.ApplyFile.PostcardSpec;
import io.paperrun.campaign.PostcardSettings.Design;
import io.paperrun.campaign.PostcardSettings.PrinterName;
import io.paperrun.campaign.PostcardSettings.ReturnAddress;
import io.paperrun.campaign.YamlBinding.Problem;
import io.paperrun.organization.IntegrationSettings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * A campaign's {@code postcard} as applied: its templates read relative to the apply file, every merge field they
 * name checked, and the printer checked against the size, so that nothing is discovered at print time.
 */
final class PostcardDesigns {

    /** The mail types the printers take: Lob's (US) and the UK classes of Stannp and IntelliPrint. */
    static final Set<String> MAIL_TYPES =
            Set.of("usps_first_class", "usps_standard", "uk_first_class", "uk_second_class");

    static final Set<String> USE_TYPES = Set.of("marketing", "operational");

    private PostcardDesigns() {}

    /**
     * The campaign {@code index}'s design, its templates read from {@code directory}; {@code null} when it declares
     * none or a problem was found (each given to {@code problems}).
     */
    static Design read(
            Path directory, CampaignSpec campaign, int index, ApplyFile.Declared file, Consumer<Problem> problems) {
        List<Problem> found = new ArrayList<>();
        PostcardSpec spec = campaign.postcard();
        Design design = spec == null ? null : design(directory, spec, index, found);
        if (campaign.printer() != null && campaign.printer() != PrinterName.AUTO && design != null) {
            file.organizations().stream()
                    .filter(o -> o != null
                            && campaign.organization() != null
                            && campaign.organization().equals(o.slug()))
                    .findFirst()
                    .flatMap(o -> printerProblem(
                            campaign.printer(),
                            design.size(),
                            o.integrations() == null
                                    ? Map.of()
                                    : o.integrations().settings()))
                    .ifPresent(message -> found.add(new Problem(List.of("campaigns", index, "printer"), message)));
        }
        found.forEach(problems);
        return found.isEmpty() ? design : null;
    }

    private static Design design(Path directory, PostcardSpec spec, int index, List<Problem> problems) {
        List<Object> at = List.of("campaigns", index, "postcard");
        Optional<PostcardSize> size = spec.size() == null ? Optional.empty() : PostcardSize.of(spec.size());
        if (spec.size() != null && size.isEmpty()) {
            problems.add(new Problem(
                    path(at, "size"), Excerpt.quote(spec.size()) + " is not one of 4x6, 6x9, 6x11, A6, A5"));
        }
        String mailType =
                spec.mailType() == null ? null : spec.mailType().trim().toLowerCase(Locale.ROOT);
        if (mailType != null && !MAIL_TYPES.contains(mailType)) {
            problems.add(new Problem(
                    path(at, "mail_type"),
                    Excerpt.quote(spec.mailType())
                            + " is not one of usps_first_class, usps_standard, uk_first_class, uk_second_class"));
        } else if ("usps_standard".equals(mailType) && size.orElse(null) == PostcardSize.FOUR_BY_SIX) {
            problems.add(new Problem(path(at, "mail_type"), "usps_standard does not take 4x6 postcards"));
        }
        String useType = spec.useType() == null ? null : spec.useType().trim().toLowerCase(Locale.ROOT);
        if (useType != null && !USE_TYPES.contains(useType)) {
            problems.add(new Problem(
                    path(at, "use_type"), Excerpt.quote(spec.useType()) + " is not one of marketing, operational"));
        }
        String landingUrl = spec.landingUrl() == null || spec.landingUrl().isBlank()
                ? null
                : spec.landingUrl().trim();
        if (landingUrl != null) {
            for (String field : new PostcardTemplate(landingUrl).unknownFields(PostcardTemplate.LANDING_URL_FIELDS)) {
                problems.add(new Problem(
                        path(at, "landing_url"),
                        "names the merge field {{" + field + "}}, which a landing URL cannot hold"));
            }
        }
        String front = template(directory, spec.front(), path(at, "front"), landingUrl, problems);
        String back = template(directory, spec.back(), path(at, "back"), landingUrl, problems);
        if (!problems.isEmpty() || size.isEmpty()) {
            return null;
        }
        return new Design(
                size.get(),
                spec.front(),
                front,
                spec.back(),
                back,
                directory.resolve(spec.front()).getParent().normalize().toString(),
                returnAddress(spec.returnAddress()),
                mailType,
                useType,
                landingUrl);
    }

    /** The template's HTML; a file that cannot be read, or a field that does not exist, is a problem. */
    private static String template(
            Path directory, String name, List<Object> at, String landingUrl, List<Problem> problems) {
        if (name == null || name.isBlank()) {
            return null;
        }
        Path file = directory.resolve(name.trim()).normalize();
        String html;
        try {
            html = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            problems.add(new Problem(at, Excerpt.quote(name) + " cannot be read (" + file + ")"));
            return null;
        }
        PostcardTemplate template = new PostcardTemplate(html);
        for (String field : template.unknownFields(PostcardTemplate.FIELDS)) {
            problems.add(new Problem(at, name + " names the merge field {{" + field + "}}, which does not exist"));
        }
        if (landingUrl == null) {
            for (String needsUrl : List.of(PostcardTemplate.LANDING_URL, PostcardTemplate.QR_CODE)) {
                if (template.names(needsUrl)) {
                    problems.add(
                            new Problem(at, name + " names {{" + needsUrl + "}}, which needs postcard.landing_url"));
                }
            }
        }
        return html;
    }

    private static ReturnAddress returnAddress(ApplyFile.ReturnAddressSpec a) {
        return a == null
                ? null
                : new ReturnAddress(
                        a.name().trim(),
                        a.address1().trim(),
                        blankToNull(a.address2()),
                        blankToNull(a.city()),
                        blankToNull(a.region()),
                        blankToNull(a.zip()),
                        a.country() == null || a.country().isBlank()
                                ? "US"
                                : a.country().trim().toUpperCase(Locale.ROOT));
    }

    /** Why the campaign's named printer cannot mail it, given its organization's integrations; empty when it can. */
    static Optional<String> printerProblem(Campaign campaign, Map<String, IntegrationSettings> integrations) {
        Design design = campaign.postcards().design();
        PrinterName printer = campaign.postcards().printer();
        if (design == null || printer == PrinterName.AUTO) {
            return Optional.empty();
        }
        return printerProblem(printer, design.size(), integrations).map(message -> "printer: " + message);
    }

    /** Why {@code printer} cannot mail a {@code size} postcard for an organization with these integrations. */
    static Optional<String> printerProblem(
            PrinterName printer, PostcardSize size, Map<String, IntegrationSettings> integrations) {
        if (printer == PrinterName.AUTO || printer == PrinterName.PRINT_FILE) {
            return Optional.empty();
        }
        IntegrationSettings settings = integrations.get(printer.code());
        if (settings == null) {
            return Optional.of(printer.code() + " needs the organization's integrations." + printer.code());
        }
        List<PostcardSize> takes =
                PrinterSizes.sizes(printer, settings.value("region").orElse("uk"));
        if (!takes.contains(size)) {
            return Optional.of(printer.code() + " does not take " + size.code() + " postcards (it takes "
                    + String.join(", ", takes.stream().map(PostcardSize::code).toList()) + ")");
        }
        return Optional.empty();
    }

    private static List<Object> path(List<Object> at, String field) {
        List<Object> path = new ArrayList<>(at);
        path.add(field);
        return path;
    }

    private static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text.trim();
    }
}
