package io.paperrun.campaign;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** A postcard's trim size (landscape), as the apply file names it; the artwork adds 0.125 in of bleed per side. */
public enum PostcardSize {
    FOUR_BY_SIX("4x6", 6.0, 4.0),
    SIX_BY_NINE("6x9", 9.0, 6.0),
    SIX_BY_ELEVEN("6x11", 11.0, 6.0),
    A6("A6", 148 / 25.4, 105 / 25.4),
    A5("A5", 210 / 25.4, 148 / 25.4);

    /** The bleed on every side of the artwork, in inches. */
    public static final double BLEED_INCHES = 0.125;

    private final String code;
    private final double trimWidthInches;
    private final double trimHeightInches;

    PostcardSize(String code, double trimWidthInches, double trimHeightInches) {
        this.code = code;
        this.trimWidthInches = trimWidthInches;
        this.trimHeightInches = trimHeightInches;
    }

    /** The apply file's name of the size: {@code 4x6}, {@code A6}... */
    public String code() {
        return code;
    }

    public double trimWidthInches() {
        return trimWidthInches;
    }

    public double trimHeightInches() {
        return trimHeightInches;
    }

    /** The artwork's width: the trim plus the bleed on both sides. */
    public double artworkWidthInches() {
        return trimWidthInches + 2 * BLEED_INCHES;
    }

    /** The artwork's height: the trim plus the bleed on both sides. */
    public double artworkHeightInches() {
        return trimHeightInches + 2 * BLEED_INCHES;
    }

    /** The size named {@code code}, in any case. */
    public static Optional<PostcardSize> of(String code) {
        return Arrays.stream(values())
                .filter(s -> s.code.toLowerCase(Locale.ROOT).equals(code.trim().toLowerCase(Locale.ROOT)))
                .findFirst();
    }

    @Override
    public String toString() {
        return code;
    }
}
