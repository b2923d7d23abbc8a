package io.paperrun.proofing;

import io.paperrun.organization.IntegrationSettings;
import java.io.IOException;

/**
 * Where an organization's proof previews go when a provider serves them (Cloudflare Images): stores a recipient's
 * front preview (PNG) under an id of its {@link ProofKey}, once however often it is asked, and answers its URL.
 * Thread-safe.
 */
public interface PreviewStore {

    String store(ProofKey key, byte[] png) throws IOException;

    /** Opens an organization's preview store of one provider; an {@code integration} package implements it as a bean. */
    interface Factory {

        /** The provider, as an organization's {@code integrations} name it: cloudflare_images. */
        String provider();

        /** The store of {@code organization} (its slug), from its settings for the provider (secrets as references). */
        PreviewStore open(String organization, IntegrationSettings settings);
    }
}
