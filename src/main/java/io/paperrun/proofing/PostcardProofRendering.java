package io.paperrun.proofing;

import io.paperrun.campaign.PostcardSettings;
import java.nio.file.Path;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The proofs of {@link PostcardRenderer}: a campaign's design prepared once as a {@link PostcardDesign} from the
 * templates as applied, their relative files read from the directory of the front template; previews at
 * {@code paperrun.proofing.preview-dpi} ({@value PostcardRenderer#DEFAULT_PREVIEW_DPI} unless set).
 */
@Component
public class PostcardProofRendering implements ProofRendering {

    private final PostcardRenderer renderer;

    public PostcardProofRendering(
            @Value("${paperrun.proofing.preview-dpi:" + PostcardRenderer.DEFAULT_PREVIEW_DPI + "}") int previewDpi) {
        this.renderer = new PostcardRenderer(previewDpi);
    }

    @Override
    public Prepared prepare(PostcardSettings.Design design) {
        PostcardDesign prepared = PostcardDesign.of(
                design.size(),
                design.frontHtml(),
                design.backHtml(),
                Path.of(design.resourceDirectory() == null ? "." : design.resourceDirectory()),
                design.landingUrl());
        return (fields, discountCode) -> renderer.render(prepared, fields, discountCode);
    }
}
