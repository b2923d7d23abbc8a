package io.paperrun.mailing;

import io.paperrun.campaign.PostcardSettings.PrinterName;
import io.paperrun.campaign.PostcardSize;
import io.paperrun.campaign.PrinterSizes;
import io.paperrun.organization.IntegrationSettings;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Which printer mails a piece (pipeline-rules.md §4): the campaign's printer unless {@code auto}; with {@code auto},
 * by destination: US to Lob, GB to Stannp (region uk, never a US account) else IntelliPrint, other countries Stannp
 * serves to Stannp,
 * each only if the organization configures it and it takes the campaign's size; else the print file.
 */
public final class PrintStrategy {

    /** The countries Stannp mails to from its regions besides GB and the US: Europe's and Canada. */
    static final Set<String> STANNP_COUNTRIES = Set.of(
            "GB", "US", "CA", "IE", "FR", "DE", "NL", "BE", "LU", "ES", "PT", "IT", "AT", "CH", "DK", "SE", "NO", "FI",
            "PL", "CZ");

    private PrintStrategy() {}

    /** The printer for a {@code size} piece to {@code country} (ISO alpha-2) of an organization with these integrations. */
    public static PrinterName choose(
            PrinterName campaignPrinter,
            String country,
            PostcardSize size,
            Map<String, IntegrationSettings> integrations) {
        if (campaignPrinter != PrinterName.AUTO) {
            return campaignPrinter;
        }
        String to = country == null ? "US" : country.trim().toUpperCase(Locale.ROOT);
        if (to.equals("US") && takes(PrinterName.LOB, size, integrations)) {
            return PrinterName.LOB;
        }
        if (to.equals("GB")) {
            IntegrationSettings stannp = integrations.get(PrinterName.STANNP.code());
            if (stannp != null
                    && stannp.value("region").orElse("uk").equalsIgnoreCase("uk")
                    && takes(PrinterName.STANNP, size, integrations)) {
                return PrinterName.STANNP;
            }
            return takes(PrinterName.INTELLIPRINT, size, integrations)
                    ? PrinterName.INTELLIPRINT
                    : PrinterName.PRINT_FILE;
        }
        if (STANNP_COUNTRIES.contains(to) && takes(PrinterName.STANNP, size, integrations)) {
            return PrinterName.STANNP;
        }
        return PrinterName.PRINT_FILE;
    }

    private static boolean takes(
            PrinterName printer, PostcardSize size, Map<String, IntegrationSettings> integrations) {
        IntegrationSettings settings = integrations.get(printer.code());
        return settings != null
                && PrinterSizes.sizes(printer, settings.value("region").orElse("uk"))
                        .contains(size);
    }
}
