package io.paperrun.integration.http;

import java.util.List;
import java.util.Optional;
import okhttp3.Credentials;
import okhttp3.Request;

/**
 * How an account's secret goes on a request: the header that carries it and that header's value.
 * It is added to each attempt on its way out, so no {@link Request} a caller holds carries it.
 */
public final class Authentication {

    /** For providers without a key. */
    public static final Authentication NONE = new Authentication(null, null, null);

    private final String header;
    private final String scheme;
    private final Secret secret;

    private Authentication(String header, String scheme, Secret secret) {
        this.header = header;
        this.scheme = scheme;
        this.secret = secret;
    }

    /** {@code Authorization: Bearer <secret>} (IntelliPrint, Faraday, Cloudflare). */
    public static Authentication bearer(Secret secret) {
        return new Authentication("Authorization", "Bearer ", secret);
    }

    /** HTTP Basic with the secret as user name and an empty password (Lob, Stannp). */
    public static Authentication basicUser(Secret secret) {
        return new Authentication("Authorization", null, secret);
    }

    /** {@code <header>: <scheme><secret>}, such as {@code Authorization: Klaviyo-API-Key <secret>}. */
    public static Authentication header(String header, String scheme, Secret secret) {
        return new Authentication(header, scheme, secret);
    }

    /** {@code <header>: <secret>}, such as {@code X-Shopify-Access-Token} or {@code X-Ometria-Auth}. */
    public static Authentication header(String header, Secret secret) {
        return new Authentication(header, "", secret);
    }

    /** The header that carries the secret, if any. */
    public Optional<String> headerName() {
        return Optional.ofNullable(header);
    }

    /** {@code request} with the secret's header set. */
    public Request applyTo(Request request) {
        return secret == null
                ? request
                : request.newBuilder().header(header, headerValue()).build();
    }

    /** Every form in which the secret may be seen: the value itself and the header value. */
    List<String> secretForms() {
        return secret == null ? List.of() : List.of(headerValue(), secret.reveal());
    }

    private String headerValue() {
        return scheme == null ? Credentials.basic(secret.reveal(), "") : scheme + secret.reveal();
    }

    @Override
    public String toString() {
        return secret == null ? "no authentication" : header + ": " + Secret.REDACTED;
    }
}
