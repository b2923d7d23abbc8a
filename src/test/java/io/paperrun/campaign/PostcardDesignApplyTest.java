package io.paperrun.campaign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.paperrun.campaign.PostcardSettings.PrinterName;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A campaign's postcard design, printer and unique codes, read and checked at apply (no database). */
class PostcardDesignApplyTest {

    @TempDir
    Path dir;

    @BeforeEach
    void designs() throws IOException {
        Files.createDirectories(dir.resolve("designs"));
        Files.writeString(dir.resolve("designs/front.html"), "<p>Hi {{ first_name }}, {{qr_code}}</p>");
        Files.writeString(dir.resolve("designs/back.html"), "<p>Use {{discount_code}} at {{landing_url}}</p>");
    }

    private Path write(String campaign, String integrations) throws IOException {
        return Files.writeString(
                dir.resolve("apply.yaml"),
                "organizations:\n  - slug: acme\n" + integrations + "campaigns:\n  - key: winback\n"
                        + "    organization: acme\n" + campaign);
    }

    private static final String DESIGN = """
                postcard:
                  size: 4x6
                  front: designs/front.html
                  back: designs/back.html
                  landing_url: "https://acme.example/p/{{discount_code}}"
            """;

    @Test
    void aDesignIsReadWithItsTemplatesAndDefaults() throws IOException {
        ApplyFile file = ApplyFile.read(write(
                "    printer: print_file\n    unique_codes: {generate: true, prefix: WB-, length: 6}\n" + DESIGN, ""));
        Campaign campaign = file.campaign(0, 1);
        PostcardSettings.Design design = campaign.postcards().design();
        assertThat(design.size()).isEqualTo(PostcardSize.FOUR_BY_SIX);
        assertThat(design.frontHtml()).isEqualTo("<p>Hi {{ first_name }}, {{qr_code}}</p>");
        assertThat(design.front().fields()).containsExactly("first_name", "qr_code");
        assertThat(design.mailType()).isEqualTo("usps_first_class");
        assertThat(design.useType()).isEqualTo("marketing");
        assertThat(Path.of(design.resourceDirectory()))
                .isEqualTo(dir.resolve("designs").toAbsolutePath());
        assertThat(campaign.postcards().printer()).isEqualTo(PrinterName.PRINT_FILE);
        assertThat(campaign.postcards().uniqueCodes()).isEqualTo(new PostcardSettings.UniqueCodes(true, "WB-", 6));
        assertThat(campaign.usesUniqueCodes()).isTrue();
    }

    @Test
    void aTemplateNamingAFieldThatDoesNotExistIsRefusedNamingTheFieldAndTheFile() throws IOException {
        Files.writeString(dir.resolve("designs/front.html"), "<p>Hi {{frist_name}}</p>");
        var refused = catchThrowableOfType(
                ApplyFile.InvalidApplyFileException.class, () -> ApplyFile.read(write(DESIGN, "")));
        assertThat(refused.problems())
                .containsExactly("campaigns[0] (winback).postcard.front: designs/front.html names the merge field "
                        + "{{frist_name}}, which does not exist");
    }

    @Test
    void aQrCodeOrLandingUrlWithoutALandingUrlIsRefused() throws IOException {
        var refused = catchThrowableOfType(
                ApplyFile.InvalidApplyFileException.class,
                () -> ApplyFile.read(write(
                        DESIGN.replace("      landing_url: \"https://acme.example/p/{{discount_code}}\"\n", ""), "")));
        assertThat(refused.problems())
                .containsExactly(
                        "campaigns[0] (winback).postcard.front: designs/front.html names {{qr_code}}, which needs "
                                + "postcard.landing_url",
                        "campaigns[0] (winback).postcard.back: designs/back.html names {{landing_url}}, which needs "
                                + "postcard.landing_url");
    }

    @Test
    void aMissingTemplateAnUnknownSizeAndABadLandingUrlFieldAreEachNamed() throws IOException {
        var refused = catchThrowableOfType(
                ApplyFile.InvalidApplyFileException.class,
                () -> ApplyFile.read(write(
                        DESIGN.replace("4x6", "5x7")
                                .replace("designs/back.html", "designs/nope.html")
                                .replace("{{discount_code}}\"", "{{qr_code}}\""),
                        "")));
        assertThat(refused.problems())
                .anySatisfy(p -> assertThat(p).startsWith("campaigns[0] (winback).postcard.size: '5x7' is not one of"))
                .anySatisfy(p -> assertThat(p)
                        .startsWith("campaigns[0] (winback).postcard.back: 'designs/nope.html' cannot be read"))
                .anySatisfy(p -> assertThat(p)
                        .isEqualTo("campaigns[0] (winback).postcard.landing_url: names the merge field {{qr_code}}, "
                                + "which a landing URL cannot hold"));
    }

    @Test
    void aPrinterThatDoesNotTakeTheSizeIsRefused() throws IOException {
        var refused = catchThrowableOfType(
                ApplyFile.InvalidApplyFileException.class,
                () -> ApplyFile.read(write(
                        "    printer: intelliprint\n" + DESIGN,
                        "    integrations:\n      intelliprint: {api_key: \"${IP_KEY}\"}\n")));
        assertThat(refused.problems())
                .containsExactly("campaigns[0] (winback).printer: intelliprint does not take 4x6 postcards (it takes "
                        + "A6, A5)");
    }

    @Test
    void aNamedPrinterTheOrganizationDoesNotConfigureIsRefused() throws IOException {
        var refused = catchThrowableOfType(
                ApplyFile.InvalidApplyFileException.class,
                () -> ApplyFile.read(write("    printer: lob\n" + DESIGN, "")));
        assertThat(refused.problems())
                .containsExactly("campaigns[0] (winback).printer: lob needs the organization's integrations.lob");
    }

    @Test
    void stannpTakesTheSizesOfItsRegion() throws IOException {
        ApplyFile file = ApplyFile.read(write(
                "    printer: stannp\n" + DESIGN,
                "    integrations:\n      stannp: {api_key: \"${STANNP_KEY}\", region: us}\n"));
        assertThat(file.campaign(0, 1).postcards().printer()).isEqualTo(PrinterName.STANNP);
        var refused = catchThrowableOfType(
                ApplyFile.InvalidApplyFileException.class,
                () -> ApplyFile.read(write(
                        "    printer: stannp\n" + DESIGN,
                        "    integrations:\n      stannp: {api_key: \"${STANNP_KEY}\", region: uk}\n")));
        assertThat(refused.problems()).singleElement().asString().contains("stannp does not take 4x6 postcards");
    }
}
