package io.paperrun.integration.klaviyo;

import io.paperrun.batch.ImportLine;
import io.paperrun.batch.Page;
import io.paperrun.batch.RejectedRowException;
import io.paperrun.recipient.AudienceSource;
import io.paperrun.recipient.IncomingRecipient;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import okhttp3.HttpUrl;
import tools.jackson.databind.JsonNode;

/**
 * A Klaviyo segment's members as one campaign's recipients, in the order they joined it. A page's cursor is
 * Klaviyo's {@code links.next} URL, which fetches the same page again after a restart.
 */
public final class KlaviyoAudienceSource implements AudienceSource {

    /** Profiles per page: the most the endpoint gives. */
    static final int PAGE_SIZE = 100;

    private final KlaviyoApi api;
    private final String segmentId;
    private final long campaignId;
    private final Instant createdAt;
    private final String path;

    /** @param createdAt when the recipients read are created (the job's import time) */
    KlaviyoAudienceSource(KlaviyoApi api, String segmentId, long campaignId, Instant createdAt) {
        this.api = api;
        this.segmentId = segmentId;
        this.campaignId = campaignId;
        this.createdAt = createdAt;
        this.path = KlaviyoApi.segmentProfiles(segmentId);
    }

    @Override
    public String provider() {
        return "klaviyo";
    }

    @Override
    public String location() {
        return location(segmentId);
    }

    /** Where a segment's recipients are read from, as rejected rows and messages name it: never a URL or key. */
    static String location(String segmentId) {
        return "klaviyo segment " + segmentId;
    }

    /**
     * The page at {@code cursor}, or the first page of the members who joined at or after {@code since}: a profile
     * that cannot be read, or has no email nor full address, is a rejected line; the rest of the page goes on.
     */
    @Override
    public Page<IncomingRecipient> fetch(Instant since, String cursor) throws IOException {
        HttpUrl url;
        if (cursor == null) {
            url = firstPage(since);
        } else {
            HttpUrl parsed = HttpUrl.parse(cursor);
            if (parsed == null) {
                throw new IOException(location() + ": the cursor is not a URL of a page of the segment's profiles");
            }
            url = api.onBase(parsed, path);
        }
        JsonNode document = api.get(url);
        List<ImportLine<IncomingRecipient>> lines = new ArrayList<>();
        for (JsonNode profile : api.data(document, url)) {
            SegmentMember member = new SegmentMember(profile);
            try {
                lines.add(new ImportLine.Accepted<>(0, member.toRecipient(campaignId, createdAt)));
            } catch (RejectedRowException rejected) {
                lines.add(new ImportLine.Rejected<>(0, member.id(), rejected.getMessage(), member.raw()));
            }
        }
        HttpUrl next = api.next(document, path);
        if (url.equals(next)) {
            throw new IOException(
                    location() + ": the next page's link is the page just read; stopped rather than loop");
        }
        return new Page<>(lines, next == null ? null : next.toString());
    }

    /**
     * {@code GET /api/segments/{id}/profiles}, in the order the members joined, the fields read only: from
     * {@code since} on (whole seconds, rounded down, written unquoted as the filter syntax needs), or all of them.
     */
    private HttpUrl firstPage(Instant since) {
        HttpUrl.Builder url = api.url(path)
                .addQueryParameter("page[size]", String.valueOf(PAGE_SIZE))
                .addQueryParameter("sort", "joined_group_at")
                .addQueryParameter("fields[profile]", SegmentMember.FIELDS);
        if (since != null) {
            url.addQueryParameter(
                    "filter",
                    "greater-or-equal(joined_group_at,"
                            + DateTimeFormatter.ISO_INSTANT.format(since.truncatedTo(ChronoUnit.SECONDS)) + ")");
        }
        return url.build();
    }
}
