package io.paperrun.proofing;

import io.paperrun.campaign.PostcardSize;
import io.paperrun.campaign.PostcardTemplate;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A campaign's postcard design, prepared once and shared by every proof and thread: the size, the front and back
 * templates with the files they refer to (read once), and the {@code landing_url} template. Immutable, thread-safe.
 */
public final class PostcardDesign {

    private static final Logger LOG = LoggerFactory.getLogger(PostcardDesign.class);

    private final PostcardSize size;
    private final Side front;
    private final Side back;
    private final PostcardTemplate landingUrl;

    private PostcardDesign(PostcardSize size, Side front, Side back, PostcardTemplate landingUrl) {
        this.size = size;
        this.front = front;
        this.back = back;
        this.landingUrl = landingUrl;
    }

    /**
     * The design of the template files {@code front} and {@code back}; each refers to images, fonts and style sheets
     * by paths relative to its own directory. Refuses unreadable files and unknown merge fields.
     */
    public static PostcardDesign fromFiles(PostcardSize size, Path front, Path back, String landingUrl) {
        return new PostcardDesign(
                size, Side.read("front", front), Side.read("back", back), landingUrlTemplate(landingUrl));
    }

    /**
     * The design of the templates {@code frontHtml} and {@code backHtml}, whose relative references resolve in
     * {@code directory}. Refuses unknown merge fields.
     */
    public static PostcardDesign of(
            PostcardSize size, String frontHtml, String backHtml, Path directory, String landingUrl) {
        DesignResources resources = new DesignResources(directory);
        return new PostcardDesign(
                size,
                Side.of("front", "front template", frontHtml, resources),
                Side.of("back", "back template", backHtml, resources),
                landingUrlTemplate(landingUrl));
    }

    public PostcardSize size() {
        return size;
    }

    Side front() {
        return front;
    }

    Side back() {
        return back;
    }

    /** The {@code landing_url} template, whose own merge fields are recipient columns. */
    PostcardTemplate landingUrl() {
        return landingUrl;
    }

    private static PostcardTemplate landingUrlTemplate(String landingUrl) {
        PostcardTemplate template = new PostcardTemplate(landingUrl == null ? "" : landingUrl);
        List<String> unknown = template.unknownFields(PostcardTemplate.LANDING_URL_FIELDS);
        if (!unknown.isEmpty()) {
            throw new ProofRenderingException(
                    "landing_url names " + String.join(", ", unknown) + ", which is not a recipient field");
        }
        return template;
    }

    /** One side: its template, named for messages, and the files it may refer to. */
    record Side(String side, String name, PostcardTemplate template, DesignResources resources, Set<String> warned) {

        /** Logs {@code warning} about this side's CSS unless it was logged before. */
        void warnOnce(String warning) {
            if (warned.add(warning)) {
                LOG.warn("{}: {}", name, warning);
            }
        }

        static Side read(String side, Path file) {
            Path absolute = file.toAbsolutePath().normalize();
            String html;
            try {
                html = Files.readString(absolute, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new ProofRenderingException(side + " template " + file + " cannot be read: " + e, e);
            }
            return of(side, side + " template " + file.getFileName(), html, new DesignResources(absolute.getParent()));
        }

        static Side of(String side, String name, String html, DesignResources resources) {
            PostcardTemplate template = new PostcardTemplate(html);
            List<String> unknown = template.unknownFields(PostcardTemplate.FIELDS);
            if (!unknown.isEmpty()) {
                throw new ProofRenderingException(name + " names unknown merge field(s) " + String.join(", ", unknown));
            }
            return new Side(side, name, template, resources, ConcurrentHashMap.newKeySet());
        }
    }
}
