package io.paperrun.integration.klaviyo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import io.paperrun.integration.http.FakeSleeper;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import mockwebserver3.MockWebServer;
import mockwebserver3.junit5.StartStop;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The fake segment itself, asked directly: what a benchmark and the source's tests rely on it for (order, filter,
 * paging, its limits and counts), and its documents agreeing with Klaviyo's description.
 */
class FakeKlaviyoSegmentTest {

    private static final String KEY = "pk_test_fake";
    private static final Instant START = Instant.parse("2024-01-01T00:00:00Z");
    private static final OkHttpClient HTTP = new OkHttpClient();

    @StartStop
    private final MockWebServer server = new MockWebServer();

    private final FakeSleeper clock = new FakeSleeper();
    private final FakeKlaviyoSegment segment = new FakeKlaviyoSegment("Seg1", KEY, 1_000, START).clock(clock::now);

    @BeforeEach
    void serve() {
        server.setDispatcher(segment);
    }

    @AfterEach
    void everyAnswerAgreesWithTheDescription() throws InterruptedException {
        KlaviyoContract.assertEveryRequestValid(server);
        for (FakeKlaviyoSegment.Answer answer :
                KlaviyoContract.available() ? segment.answers() : List.<FakeKlaviyoSegment.Answer>of()) {
            assertThat(KlaviyoContract.checkAnswerOfComposedSchema(answer.request(), answer.document())
                            .getMessages())
                    .as("the fake's answer to %s", answer.request().getUrl())
                    .isEmpty();
        }
    }

    private HttpUrl.Builder profiles() {
        return server.url("/api/segments/Seg1/profiles").newBuilder();
    }

    private Response get(HttpUrl url) throws IOException {
        return HTTP.newCall(new Request.Builder()
                        .url(url)
                        .header("Authorization", "Klaviyo-API-Key " + KEY)
                        .header("revision", KlaviyoApi.REVISION)
                        .build())
                .execute();
    }

    private JsonNode document(HttpUrl url) throws IOException {
        try (Response response = get(url)) {
            assertThat(response.code()).as("status of %s", url).isEqualTo(200);
            return FakeKlaviyo.JSON.readTree(response.body().string());
        }
    }

    private int status(HttpUrl url) throws IOException {
        try (Response response = get(url)) {
            return response.code();
        }
    }

    /** The ids of every page, following the next links from {@code url}. */
    private List<String> ids(HttpUrl url) throws IOException {
        List<String> ids = new ArrayList<>();
        while (url != null) {
            JsonNode document = document(url);
            document.path("data").forEach(profile -> ids.add(profile.path("id").stringValue()));
            JsonNode next = document.path("links").path("next");
            url = next.isString() ? HttpUrl.get(next.stringValue()) : null;
        }
        return ids;
    }

    @Test
    void servesTheMembersInTheOrderTheyJoinedInPagesOfTheSizeAskedFor() throws IOException {
        JsonNode first =
                document(profiles().addQueryParameter("page[size]", "3").build());

        assertThat(first.path("data")).hasSize(3);
        assertThat(first.path("data").get(0).path("id").stringValue()).isEqualTo(FakeKlaviyoSegment.generatedId(0));
        assertThat(first.path("data")
                        .get(0)
                        .path("attributes")
                        .path("joined_group_at")
                        .stringValue())
                .isEqualTo("2024-01-01T00:00:00+00:00");
        assertThat(first.path("data")
                        .get(1)
                        .path("attributes")
                        .path("joined_group_at")
                        .stringValue())
                .isEqualTo("2024-01-01T00:00:00+00:00");
        assertThat(first.path("data")
                        .get(2)
                        .path("attributes")
                        .path("joined_group_at")
                        .stringValue())
                .isEqualTo("2024-01-01T00:00:01+00:00");
        assertThat(first.path("links").path("next").stringValue()).contains("page%5Bcursor%5D=");
        assertThat(document(profiles().build()).path("data"))
                .as("the default page size")
                .hasSize(20);
    }

    @Test
    void pagesToTheLastMemberWithAddedProfilesInTheirPlace() throws IOException {
        FakeKlaviyoSegment small = new FakeKlaviyoSegment("Seg1", KEY, 5, START)
                .add(FakeKlaviyoSegment.profile("01HADDED", START.plusSeconds(1), "added@example.com", null));
        server.setDispatcher(small);

        List<String> ids = ids(profiles().addQueryParameter("page[size]", "2").build());

        assertThat(ids)
                .containsExactly(
                        FakeKlaviyoSegment.generatedId(0),
                        FakeKlaviyoSegment.generatedId(1),
                        "01HADDED",
                        FakeKlaviyoSegment.generatedId(2),
                        FakeKlaviyoSegment.generatedId(3),
                        FakeKlaviyoSegment.generatedId(4));
        assertThat(small.served()).isEqualTo(3);
    }

    @Test
    void filtersByWhenMembersJoinedAndSortsEitherWay() throws IOException {
        HttpUrl since = profiles()
                .addQueryParameter("filter", "greater-or-equal(joined_group_at,2024-01-01T00:00:02Z)")
                .addQueryParameter("page[size]", "2")
                .build();
        HttpUrl after = profiles()
                .addQueryParameter("filter", "greater-than(joined_group_at,2024-01-01T00:10:00+00:00)")
                .addQueryParameter("sort", "-joined_group_at")
                .addQueryParameter("page[size]", "100")
                .build();
        HttpUrl before = profiles()
                .addQueryParameter("filter", "less-than(joined_group_at,2024-01-01T00:00:02Z)")
                .build();

        assertThat(document(since).path("data").get(0).path("id").stringValue())
                .isEqualTo(FakeKlaviyoSegment.generatedId(3));
        List<String> latest = ids(after);
        assertThat(latest).hasSize(1_000 - 902).startsWith(FakeKlaviyoSegment.generatedId(999));
        assertThat(latest.get(latest.size() - 1)).isEqualTo(FakeKlaviyoSegment.generatedId(902));
        assertThat(segment.joinedAt(901)).isEqualTo(Instant.parse("2024-01-01T00:10:00Z"));
        assertThat(ids(before)).hasSize(3);
    }

    @Test
    void aQuotedDatetimeOrAnotherFieldIsAnInvalidFilterAsAtKlaviyo() throws IOException {
        assertThat(status(profiles()
                        .addQueryParameter("filter", "greater-or-equal(joined_group_at,\"2024-01-01T00:00:00Z\")")
                        .build()))
                .isEqualTo(400);
        assertThat(status(profiles()
                        .addQueryParameter("filter", "greater-or-equal(created,2024-01-01T00:00:00Z)")
                        .build()))
                .isEqualTo(400);
    }

    @Test
    void servesOnlyTheFieldsAskedFor() throws IOException {
        JsonNode profile = document(profiles()
                        .addQueryParameter("fields[profile]", "email,joined_group_at,location.zip")
                        .build())
                .path("data")
                .get(0);

        assertThat(profile.path("attributes").propertyNames())
                .containsExactlyInAnyOrder("email", "joined_group_at", "location");
        assertThat(profile.path("attributes").path("location").propertyNames()).containsExactly("zip");
    }

    @Test
    void refusesAnotherKeyARequestWithoutRevisionAnotherSegmentAndTooLargeAPage() throws Exception {
        try (Response response = HTTP.newCall(new Request.Builder()
                        .url(profiles().build())
                        .header("Authorization", "Klaviyo-API-Key pk_other")
                        .header("revision", KlaviyoApi.REVISION)
                        .build())
                .execute()) {
            assertThat(response.code()).isEqualTo(401);
        }
        try (Response response = HTTP.newCall(new Request.Builder()
                        .url(profiles().build())
                        .header("Authorization", "Klaviyo-API-Key " + KEY)
                        .build())
                .execute()) {
            assertThat(response.code()).isEqualTo(400);
        }
        assertThat(status(server.url("/api/segments/Other/profiles"))).isEqualTo(404);
        assertThat(status(profiles().addQueryParameter("page[size]", "101").build()))
                .isEqualTo(400);
        for (int i = 0; i < 4; i++) {
            server.takeRequest();
        }
    }

    @Test
    void enforcesTheSteadyLimitPerFixedMinuteWithOnlyRetryAfter() throws IOException {
        segment.limits(3, 75);
        clock.sleep(Duration.ofSeconds(50));
        for (int i = 0; i < 3; i++) {
            assertThat(status(profiles().build())).isEqualTo(200);
        }

        try (Response throttled = get(profiles().build())) {
            assertThat(throttled.code()).isEqualTo(429);
            assertThat(throttled.header("Retry-After")).isEqualTo("10");
            assertThat(throttled.header("RateLimit-Limit")).isNull();
            assertThat(throttled.header("RateLimit-Remaining")).isNull();
        }
        clock.sleep(Duration.ofSeconds(10));
        assertThat(status(profiles().build())).isEqualTo(200);

        assertThat(segment.requests()).isEqualTo(5);
        assertThat(segment.served()).isEqualTo(4);
        assertThat(segment.throttled()).isEqualTo(1);
        assertThat(segment.busiestMinute()).isEqualTo(3);
    }

    @Test
    void enforcesTheBurstLimitPerFixedSecond() throws IOException {
        segment.limits(750, 2);

        assertThat(status(profiles().build())).isEqualTo(200);
        assertThat(status(profiles().build())).isEqualTo(200);
        try (Response throttled = get(profiles().build())) {
            assertThat(throttled.code()).isEqualTo(429);
            assertThat(throttled.header("Retry-After")).isEqualTo("1");
        }
        clock.sleep(Duration.ofSeconds(1));
        assertThat(status(profiles().build())).isEqualTo(200);
    }

    @Test
    void countsTheShareOfTheSteadyLimitUsed() throws IOException {
        segment.limits(60, 75);
        for (int i = 0; i < 31; i++) {
            assertThat(status(profiles().build())).isEqualTo(200);
            clock.sleep(Duration.ofSeconds(2));
        }

        assertThat(segment.steadyShare()).isCloseTo(0.5, offset(1e-9));
    }

    @Test
    void generatesMembersOnlyWhenAskedSoASegmentMayBeHuge() throws IOException {
        FakeKlaviyoSegment huge = new FakeKlaviyoSegment("Seg1", KEY, 3_000_000_000L, START);
        server.setDispatcher(huge);
        Instant nearTheEnd = huge.joinedAt(2_999_999_998L);

        List<String> ids = ids(profiles()
                .addQueryParameter("filter", "greater-or-equal(joined_group_at," + nearTheEnd + ")")
                .build());

        assertThat(ids)
                .containsExactly(
                        FakeKlaviyoSegment.generatedId(2_999_999_997L),
                        FakeKlaviyoSegment.generatedId(2_999_999_998L),
                        FakeKlaviyoSegment.generatedId(2_999_999_999L));
    }
}
