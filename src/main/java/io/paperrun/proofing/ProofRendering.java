package io.paperrun.proofing;

import io.paperrun.campaign.PostcardSettings;
import java.util.Map;

/**
 * Renders a campaign's proofs: its design prepared once (templates, fonts, the files they refer to), then each
 * recipient's proof from it, on any thread.
 */
public interface ProofRendering {

    /**
     * The campaign's design, prepared.
     *
     * @throws ProofRenderingException when the design cannot be prepared at all
     */
    Prepared prepare(PostcardSettings.Design design);

    /** A design prepared for rendering; thread-safe. */
    interface Prepared {

        /**
         * The proof of a recipient whose merge fields are {@code fields}, showing {@code discountCode} (null: none).
         *
         * @throws ProofRenderingException when this recipient's proof cannot be rendered
         */
        RenderedProof render(Map<String, String> fields, String discountCode);
    }
}
