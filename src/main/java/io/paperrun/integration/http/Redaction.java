package io.paperrun.integration.http;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;
import okhttp3.Headers;
import okhttp3.HttpUrl;
import okhttp3.Request;

/**
 * What may be written about a request: URLs without user info or secret-looking query values,
 * headers with secret-looking values masked, and text with the account's secrets replaced.
 */
public final class Redaction {

    private static final String SECRET_WORDS =
            "auth|token|secret|passw|signature|api[-_]?key|cookie|session|credential";
    private static final Pattern SECRET_NAME = Pattern.compile("(?i).*(" + SECRET_WORDS + ").*");
    private static final Pattern SECRET_QUERY_NAME = Pattern.compile("(?i)key|sig|.*(" + SECRET_WORDS + ").*");

    private final List<String> secretForms;
    private final String secretHeader;

    private Redaction(List<String> secretForms, String secretHeader) {
        this.secretForms = secretForms;
        this.secretHeader = secretHeader;
    }

    /** A redaction that also hides {@code authentication}'s header and every form of its secret. */
    public static Redaction of(Authentication authentication) {
        List<String> forms = new ArrayList<>(authentication.secretForms());
        forms.sort(Comparator.comparingInt(String::length).reversed());
        return new Redaction(List.copyOf(forms), authentication.headerName().orElse(null));
    }

    /** Whether a header named {@code name} carries a secret. */
    public boolean isSecretHeader(String name) {
        return name.equalsIgnoreCase(secretHeader) || SECRET_NAME.matcher(name).matches();
    }

    /** Whether a query parameter named {@code name} looks like it carries a secret. */
    public static boolean isSecretQueryParameter(String name) {
        return SECRET_QUERY_NAME.matcher(name).matches();
    }

    /** {@code METHOD url}, the URL {@linkplain #url redacted}. */
    public String describe(Request request) {
        return request.method() + " " + url(request.url());
    }

    /** The URL without user info, with secret-looking query values masked and known secrets replaced. */
    public String url(HttpUrl url) {
        HttpUrl.Builder builder = url.newBuilder().username("").password("").query(null);
        for (int i = 0; i < url.querySize(); i++) {
            String name = url.queryParameterName(i);
            builder.addQueryParameter(
                    name, isSecretQueryParameter(name) ? Secret.REDACTED : url.queryParameterValue(i));
        }
        return text(builder.build().toString().replace("%5Bredacted%5D", Secret.REDACTED));
    }

    /** The headers one per line, secret values masked. */
    public String headers(Headers headers) {
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < headers.size(); i++) {
            String name = headers.name(i);
            lines.append(name)
                    .append(": ")
                    .append(isSecretHeader(name) ? Secret.REDACTED : text(headers.value(i)))
                    .append('\n');
        }
        return lines.toString();
    }

    /** {@code text} with every known form of the account's secret replaced. */
    public String text(String text) {
        if (text == null) {
            return null;
        }
        String redacted = text;
        for (String form : secretForms) {
            redacted = redacted.replace(form, Secret.REDACTED);
        }
        return redacted;
    }
}
