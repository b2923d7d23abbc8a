package io.paperrun.mailing;

import io.paperrun.campaign.PostcardSettings.PrinterName;
import io.paperrun.organization.Organization;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.stereotype.Component;

/** Opens an organization's printers by name: the providers' (their {@link PrinterFactory} beans) and the print file. */
@Component
public class Printers {

    private final Map<String, PrinterFactory> factories;
    private final PrintRuns printRuns;

    public Printers(List<PrinterFactory> factories, PrintRuns printRuns) {
        this.factories = factories.stream().collect(Collectors.toMap(PrinterFactory::provider, Function.identity()));
        this.printRuns = printRuns;
    }

    /**
     * The printer {@code printer} of {@code organization}; the print file's records its pieces into the print run of
     * {@code campaignId} and {@code jobExecutionId}.
     */
    public Printer open(Organization organization, PrinterName printer, long campaignId, long jobExecutionId) {
        if (printer == PrinterName.PRINT_FILE) {
            return new PrintFilePrinter(printRuns, campaignId, jobExecutionId);
        }
        PrinterFactory factory = factories.get(printer.code());
        if (factory == null) {
            throw new IllegalStateException("no client for printer " + printer.code());
        }
        if (!organization.integrations().containsKey(printer.code())) {
            throw new IllegalStateException("printer " + printer.code() + " needs the organization's integrations."
                    + printer.code() + " in its apply file");
        }
        return factory.open(organization.slug(), organization.integration(printer.code()));
    }
}
