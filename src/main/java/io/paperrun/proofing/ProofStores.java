package io.paperrun.proofing;

import io.paperrun.organization.Organization;
import java.util.List;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * Opens an organization's proof store: PDFs always in {@link ProofDirectory}; previews at the provider its apply file
 * configures for them ({@code integrations.cloudflare_images}), else beside the PDFs.
 */
@Component
public class ProofStores {

    private final ProofDirectory files;
    private final List<PreviewStore.Factory> previewStores;

    public ProofStores(ProofDirectory files, List<PreviewStore.Factory> previewStores) {
        this.files = files;
        this.previewStores = List.copyOf(previewStores);
    }

    /** {@code organization}'s store; a provider that cannot be opened (a secret unset) is refused naming it. */
    public ProofStore open(Organization organization) {
        Optional<PreviewStore> previews = previewStores.stream()
                .filter(factory -> organization.integrations().containsKey(factory.provider()))
                .findFirst()
                .map(factory -> {
                    try {
                        return factory.open(organization.slug(), organization.integration(factory.provider()));
                    } catch (RuntimeException refused) {
                        throw new IllegalStateException(
                                organization.slug() + ": " + factory.provider() + ": " + refused.getMessage(), refused);
                    }
                });
        return (key, proof) -> {
            String pdf = files.writePdf(key, proof.pdf());
            String preview = previews.isPresent()
                    ? previews.get().store(key, proof.previewPng())
                    : files.writePreview(key, proof.previewPng());
            return new StoredProof(pdf, pdf, preview);
        };
    }
}
