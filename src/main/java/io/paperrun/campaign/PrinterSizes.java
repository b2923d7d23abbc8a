package io.paperrun.campaign;

import io.paperrun.campaign.PostcardSettings.PrinterName;
import java.util.EnumSet;
import java.util.List;

/** The postcard sizes each printer takes (providers.md): Lob the US sizes, Stannp by region, IntelliPrint A6 and A5. */
public final class PrinterSizes {

    private static final List<PostcardSize> US =
            List.of(PostcardSize.FOUR_BY_SIX, PostcardSize.SIX_BY_NINE, PostcardSize.SIX_BY_ELEVEN);
    private static final List<PostcardSize> UK = List.of(PostcardSize.A6, PostcardSize.A5);

    private PrinterSizes() {}

    /** The sizes {@code printer} takes; {@code stannpRegion} ({@code uk} or {@code us}) matters to Stannp only. */
    public static List<PostcardSize> sizes(PrinterName printer, String stannpRegion) {
        return switch (printer) {
            case LOB -> US;
            case STANNP -> "us".equalsIgnoreCase(stannpRegion) ? US : UK;
            case INTELLIPRINT -> UK;
            case PRINT_FILE, AUTO -> List.copyOf(EnumSet.allOf(PostcardSize.class));
        };
    }
}
