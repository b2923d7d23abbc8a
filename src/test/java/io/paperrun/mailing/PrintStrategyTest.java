package io.paperrun.mailing;

import static org.assertj.core.api.Assertions.assertThat;

import io.paperrun.campaign.PostcardSettings.PrinterName;
import io.paperrun.campaign.PostcardSize;
import io.paperrun.organization.IntegrationSettings;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The print strategy of pipeline-rules.md §4, branch by branch. */
class PrintStrategyTest {

    private static final Map<String, IntegrationSettings> ALL = integrations("lob", "stannp:uk", "intelliprint");

    @Test
    void theCampaignsPrinterUnlessAutoWhateverTheDestination() {
        assertThat(PrintStrategy.choose(PrinterName.LOB, "GB", PostcardSize.A6, Map.of()))
                .isEqualTo(PrinterName.LOB);
        assertThat(PrintStrategy.choose(PrinterName.PRINT_FILE, "US", PostcardSize.FOUR_BY_SIX, ALL))
                .isEqualTo(PrinterName.PRINT_FILE);
        assertThat(PrintStrategy.choose(PrinterName.INTELLIPRINT, "US", PostcardSize.A6, ALL))
                .isEqualTo(PrinterName.INTELLIPRINT);
    }

    @Test
    void autoSendsUsRecipientsToLob() {
        assertThat(PrintStrategy.choose(PrinterName.AUTO, "US", PostcardSize.FOUR_BY_SIX, ALL))
                .isEqualTo(PrinterName.LOB);
        assertThat(PrintStrategy.choose(PrinterName.AUTO, " us ", PostcardSize.SIX_BY_NINE, ALL))
                .isEqualTo(PrinterName.LOB);
    }

    @Test
    void aRecipientWithoutCountryIsInTheUs() {
        assertThat(PrintStrategy.choose(PrinterName.AUTO, null, PostcardSize.FOUR_BY_SIX, ALL))
                .isEqualTo(PrinterName.LOB);
    }

    @Test
    void autoSendsGbRecipientsToStannpUkElseIntelliPrint() {
        assertThat(PrintStrategy.choose(PrinterName.AUTO, "GB", PostcardSize.A6, ALL))
                .isEqualTo(PrinterName.STANNP);
        assertThat(PrintStrategy.choose(PrinterName.AUTO, "GB", PostcardSize.A5, integrations("stannp")))
                .as("Stannp's region is uk unless said")
                .isEqualTo(PrinterName.STANNP);
        assertThat(PrintStrategy.choose(PrinterName.AUTO, "GB", PostcardSize.A6, integrations("lob", "intelliprint")))
                .isEqualTo(PrinterName.INTELLIPRINT);
        assertThat(PrintStrategy.choose(
                        PrinterName.AUTO, "GB", PostcardSize.A6, integrations("stannp:us", "intelliprint")))
                .isEqualTo(PrinterName.INTELLIPRINT);
    }

    @Test
    void gbIsNeverSentToAStannpUsAccount() {
        assertThat(PrintStrategy.choose(PrinterName.AUTO, "GB", PostcardSize.FOUR_BY_SIX, integrations("stannp:us")))
                .isEqualTo(PrinterName.PRINT_FILE);
    }

    @Test
    void otherCountriesStannpServesGoToStannp() {
        assertThat(PrintStrategy.choose(PrinterName.AUTO, "FR", PostcardSize.A6, ALL))
                .isEqualTo(PrinterName.STANNP);
        assertThat(PrintStrategy.choose(PrinterName.AUTO, "CA", PostcardSize.FOUR_BY_SIX, integrations("stannp:us")))
                .isEqualTo(PrinterName.STANNP);
        assertThat(PrintStrategy.choose(PrinterName.AUTO, "FR", PostcardSize.A6, integrations("lob", "intelliprint")))
                .isEqualTo(PrinterName.PRINT_FILE);
    }

    @Test
    void usRecipientsGoToAStannpUsAccountWhenLobIsNotConfigured() {
        assertThat(PrintStrategy.choose(PrinterName.AUTO, "US", PostcardSize.FOUR_BY_SIX, integrations("stannp:us")))
                .isEqualTo(PrinterName.STANNP);
    }

    @Test
    void aCountryNoConfiguredPrinterServesGoesToThePrintFile() {
        assertThat(PrintStrategy.choose(PrinterName.AUTO, "JP", PostcardSize.FOUR_BY_SIX, ALL))
                .isEqualTo(PrinterName.PRINT_FILE);
        assertThat(PrintStrategy.choose(PrinterName.AUTO, "US", PostcardSize.FOUR_BY_SIX, Map.of()))
                .isEqualTo(PrinterName.PRINT_FILE);
        assertThat(PrintStrategy.choose(PrinterName.AUTO, "GB", PostcardSize.A6, integrations("lob")))
                .isEqualTo(PrinterName.PRINT_FILE);
    }

    @Test
    void autoPassesOverAConfiguredPrinterThatDoesNotTakeTheSize() {
        assertThat(PrintStrategy.choose(PrinterName.AUTO, "US", PostcardSize.A6, integrations("lob")))
                .as("Lob prints no A6")
                .isEqualTo(PrinterName.PRINT_FILE);
        assertThat(PrintStrategy.choose(PrinterName.AUTO, "US", PostcardSize.A6, ALL))
                .as("past Lob to Stannp uk, which takes A6")
                .isEqualTo(PrinterName.STANNP);
        assertThat(PrintStrategy.choose(PrinterName.AUTO, "GB", PostcardSize.FOUR_BY_SIX, ALL))
                .as("neither Stannp uk nor IntelliPrint takes 4x6")
                .isEqualTo(PrinterName.PRINT_FILE);
        assertThat(PrintStrategy.choose(
                        PrinterName.AUTO, "GB", PostcardSize.A5, integrations("stannp:us", "intelliprint")))
                .isEqualTo(PrinterName.INTELLIPRINT);
        assertThat(PrintStrategy.choose(PrinterName.AUTO, "DE", PostcardSize.SIX_BY_ELEVEN, ALL))
                .as("Stannp uk prints no 6x11")
                .isEqualTo(PrinterName.PRINT_FILE);
    }

    /** Integrations by name, {@code stannp:us} with its region. */
    private static Map<String, IntegrationSettings> integrations(String... names) {
        Map<String, IntegrationSettings> integrations = new HashMap<>();
        for (String name : names) {
            String[] parts = name.split(":");
            Map<String, String> values = new HashMap<>(Map.of("api_key", "${KEY}"));
            if (parts.length > 1) {
                values.put("region", parts[1]);
            }
            integrations.put(parts[0], new IntegrationSettings(parts[0], values));
        }
        return integrations;
    }
}
