package io.paperrun.enrichment;

/**
 * A provider of address enrichment that failed for an organization: {@code acme (lob): <what failed>}, on one line.
 * The provider's exception is kept as a suppressed one, not as the cause, so that a report of the root cause still
 * names the organization and the provider.
 */
public class AddressProviderException extends RuntimeException {

    public AddressProviderException(String organization, String provider, Exception failure) {
        super(organization + " (" + provider + "): " + firstLine(failure));
        addSuppressed(failure);
    }

    private static String firstLine(Exception failure) {
        String message = failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage();
        return message.lines().findFirst().orElse(message);
    }
}
