package io.paperrun.campaign;

import java.util.Locale;
import java.util.Optional;

/**
 * How a campaign's postcards are made and sent, as its apply file declares them: the printer, the unique discount
 * codes, and the design ({@code null} while the campaign has none: nothing can be proofed).
 */
public record PostcardSettings(PrinterName printer, UniqueCodes uniqueCodes, Design design) {

    /** No design, unique codes only from an imported pool when the campaign uses them, the printer chosen by destination. */
    public static final PostcardSettings NONE = new PostcardSettings(PrinterName.AUTO, null, null);

    public PostcardSettings {
        printer = printer == null ? PrinterName.AUTO : printer;
    }

    /** The apply file's {@code printer}. */
    public enum PrinterName {
        AUTO,
        LOB,
        STANNP,
        INTELLIPRINT,
        PRINT_FILE;

        /** As the apply file and the {@code printer} column of exports write it. */
        public String code() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static PrinterName of(String code) {
            return valueOf(code.trim().toUpperCase(Locale.ROOT));
        }
    }

    /** {@code unique_codes}: generated ({@code prefix} and {@code length} random characters), else from the pool. */
    public record UniqueCodes(boolean generate, String prefix, int length) {
        public static final int DEFAULT_LENGTH = 8;

        public UniqueCodes {
            prefix = prefix == null ? "" : prefix;
        }
    }

    /**
     * {@code postcard}: the size, the front and back templates (their files as the apply file names them, their
     * HTML as applied, and the directory their relative resources are read from), the return address, the mail
     * and use types, and the landing URL template.
     */
    public record Design(
            PostcardSize size,
            String frontFile,
            String frontHtml,
            String backFile,
            String backHtml,
            String resourceDirectory,
            ReturnAddress returnAddress,
            String mailType,
            String useType,
            String landingUrl) {

        public static final String DEFAULT_MAIL_TYPE = "usps_first_class";
        public static final String DEFAULT_USE_TYPE = "marketing";

        public Design {
            mailType = mailType == null || mailType.isBlank() ? DEFAULT_MAIL_TYPE : mailType.trim();
            useType = useType == null || useType.isBlank() ? DEFAULT_USE_TYPE : useType.trim();
        }

        public PostcardTemplate front() {
            return new PostcardTemplate(frontHtml);
        }

        public PostcardTemplate back() {
            return new PostcardTemplate(backHtml);
        }

        public Optional<String> landingUrlTemplate() {
            return Optional.ofNullable(landingUrl).filter(u -> !u.isBlank());
        }
    }

    /** {@code postcard.return_address}; {@code country} ISO 3166-1 alpha-2. */
    public record ReturnAddress(
            String name, String address1, String address2, String city, String region, String zip, String country) {}
}
