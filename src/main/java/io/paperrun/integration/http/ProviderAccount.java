package io.paperrun.integration.http;

/**
 * One account at one provider, such as {@code lob}/{@code acme}: the key of a rate limit.
 * Both parts appear in messages, so the account is an id or a slug, never a key.
 */
public record ProviderAccount(String provider, String account) {

    public ProviderAccount {
        if (provider == null || provider.isBlank() || account == null || account.isBlank()) {
            throw new IllegalArgumentException("a provider account needs a provider and an account");
        }
    }

    @Override
    public String toString() {
        return provider + "/" + account;
    }
}
