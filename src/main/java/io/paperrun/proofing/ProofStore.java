package io.paperrun.proofing;

import java.io.IOException;

/**
 * Stores a recipient's proof, its two-page PDF and its front's PNG preview, and says where each is. Storing the same
 * recipient's proof again replaces it in place and answers the same places. Thread-safe.
 */
public interface ProofStore {

    StoredProof store(ProofKey key, RenderedProof proof) throws IOException;
}
