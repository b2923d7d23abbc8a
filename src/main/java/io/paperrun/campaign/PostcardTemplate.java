package io.paperrun.campaign;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An HTML and CSS template with merge fields {@code {{field}}}: any recipient column of {@code import recipients},
 * plus {@code discount_code}, {@code landing_url} and {@code qr_code} (interface.md). Plain Java, no I/O.
 */
public record PostcardTemplate(String html) {

    /** {@code {{ name }}}: a merge field, spaces allowed inside the braces. */
    private static final Pattern FIELD = Pattern.compile("\\{\\{\\s*([^{}\\s]*)\\s*}}");

    /** The recipient columns of {@code import recipients}, in the interface's order. */
    public static final List<String> RECIPIENT_FIELDS = List.of(
            "campaign",
            "external_id",
            "email",
            "first_name",
            "last_name",
            "address1",
            "address2",
            "city",
            "region",
            "zip",
            "country",
            "status",
            "created_at",
            "sent_at",
            "discount_code");

    /** The field holding the landing URL, its own merge fields filled in. */
    public static final String LANDING_URL = "landing_url";

    /** The field holding an {@code <img>} element with a QR code of the landing URL. */
    public static final String QR_CODE = "qr_code";

    /** Every field a template may name. */
    public static final Set<String> FIELDS;

    static {
        Set<String> fields = new LinkedHashSet<>(RECIPIENT_FIELDS);
        fields.add(LANDING_URL);
        fields.add(QR_CODE);
        FIELDS = Collections.unmodifiableSet(fields);
    }

    /** The fields a {@code landing_url} may name: the recipient's columns, not itself nor the QR code. */
    public static final Set<String> LANDING_URL_FIELDS = Set.copyOf(RECIPIENT_FIELDS);

    /** The fields this template names, in order of first appearance. */
    public List<String> fields() {
        Set<String> named = new LinkedHashSet<>();
        Matcher m = FIELD.matcher(html);
        while (m.find()) {
            named.add(m.group(1));
        }
        return new ArrayList<>(named);
    }

    /** The fields this template names that {@code known} does not hold, in order of first appearance. */
    public List<String> unknownFields(Set<String> known) {
        return fields().stream().filter(f -> !known.contains(f)).toList();
    }

    /** Whether the template names {@code field}. */
    public boolean names(String field) {
        return fields().contains(field);
    }

    /**
     * The template with every field replaced by {@code escape} of its value ({@code raw} fields as they are), a
     * field without a value by the empty text.
     */
    public String fill(Map<String, String> values, UnaryOperator<String> escape, Set<String> raw) {
        Matcher m = FIELD.matcher(html);
        StringBuilder out = new StringBuilder(html.length() + 256);
        while (m.find()) {
            String field = m.group(1);
            String value = values.get(field);
            String text = value == null ? "" : raw.contains(field) ? value : escape.apply(value);
            m.appendReplacement(out, Matcher.quoteReplacement(text));
        }
        m.appendTail(out);
        return out.toString();
    }
}
