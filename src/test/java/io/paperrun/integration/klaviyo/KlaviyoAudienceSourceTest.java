package io.paperrun.integration.klaviyo;

import static io.paperrun.integration.klaviyo.FakeKlaviyo.json;
import static io.paperrun.integration.klaviyo.FakeKlaviyoSegment.generatedId;
import static io.paperrun.integration.klaviyo.FakeKlaviyoSegment.profile;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.paperrun.batch.ImportLine;
import io.paperrun.batch.Page;
import io.paperrun.batch.Partitions;
import io.paperrun.enrichment.AddressKey;
import io.paperrun.integration.http.FakeSleeper;
import io.paperrun.integration.http.ProviderAccount;
import io.paperrun.integration.http.ProviderHttpException;
import io.paperrun.integration.http.RateLimit;
import io.paperrun.integration.http.RateLimits;
import io.paperrun.integration.http.Secrets;
import io.paperrun.order.OrderReading;
import io.paperrun.organization.IntegrationSettings;
import io.paperrun.recipient.AudienceReading;
import io.paperrun.recipient.AudienceSource;
import io.paperrun.recipient.IncomingRecipient;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.junit5.StartStop;
import okhttp3.HttpUrl;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.mock.env.MockEnvironment;
import tools.jackson.databind.node.ObjectNode;

/**
 * The Klaviyo segment source against a fake segment serving the documented JSON:API shapes; every request it sends,
 * and every document the fake answers, is checked against Klaviyo's OpenAPI description.
 */
class KlaviyoAudienceSourceTest {

    private static final String KEY = "pk_live_0123456789abcdef0123456789abcdef";
    private static final String SEGMENT = "Y6nRLr";
    private static final long CAMPAIGN = 42;
    private static final Instant IMPORT_TIME = Instant.parse("2026-06-01T11:00:00Z");
    private static final Instant FIRST_JOINED = Instant.parse("2024-01-01T00:00:00Z");

    @StartStop
    private final MockWebServer server = new MockWebServer();

    private final FakeSleeper sleeper = new FakeSleeper();
    private final MockEnvironment environment =
            new MockEnvironment().withProperty("KLAVIYO_KEY", KEY).withProperty("KLAVIYO_OLD_KEY", "pk_live_revoked");
    private FakeKlaviyoSegment segment = segmentOf(0);

    /** Off in the tests whose fake answers profiles Klaviyo would never send, to see them rejected. */
    private boolean answersFollowTheDescription = true;

    private FakeKlaviyoSegment segmentOf(long size) {
        segment = new FakeKlaviyoSegment(SEGMENT, KEY, size, FIRST_JOINED).clock(sleeper::now);
        server.setDispatcher(segment);
        return segment;
    }

    @BeforeEach
    void serve() {
        server.setDispatcher(segment);
    }

    @AfterEach
    void everyRequestAndAnswerAgreesWithTheDescription() throws InterruptedException {
        KlaviyoContract.assertEveryRequestValid(server);
        if (!KlaviyoContract.available() || !answersFollowTheDescription) {
            return;
        }
        for (FakeKlaviyoSegment.Answer answer : segment.answers()) {
            assertThat(KlaviyoContract.checkAnswerOfComposedSchema(answer.request(), answer.document())
                            .getMessages())
                    .as("the fake's answer to %s", answer.request().getUrl())
                    .isEmpty();
        }
    }

    private Map<String, String> settings() {
        Map<String, String> settings = new HashMap<>();
        settings.put("api_key", "${KLAVIYO_KEY}");
        settings.put("base_url", server.url("/").toString());
        return settings;
    }

    private AudienceSource open(Map<String, String> settings, RateLimits rateLimits) {
        return new KlaviyoAudienceSources(new Secrets(environment), sleeper, rateLimits).open(reading(settings));
    }

    private AudienceSource open(Map<String, String> settings) {
        return open(settings, new RateLimits());
    }

    private AudienceSource open() {
        return open(settings());
    }

    private static AudienceReading reading(Map<String, String> settings) {
        return new AudienceReading(
                "acme",
                Map.of(),
                Map.of(),
                IMPORT_TIME,
                CAMPAIGN,
                SEGMENT,
                new IntegrationSettings("klaviyo", settings));
    }

    /** Every page from the first, until one has no next. */
    private static List<Page<IncomingRecipient>> readAll(AudienceSource source, Instant since) throws Exception {
        List<Page<IncomingRecipient>> pages = new ArrayList<>();
        String cursor = null;
        do {
            Page<IncomingRecipient> page = source.fetch(since, cursor);
            pages.add(page);
            cursor = page.next();
        } while (cursor != null && pages.size() < 50);
        return pages;
    }

    private static List<IncomingRecipient> recipients(List<Page<IncomingRecipient>> pages) {
        return pages.stream()
                .flatMap(page -> page.lines().stream())
                .map(line -> ((ImportLine.Accepted<IncomingRecipient>) line).value())
                .toList();
    }

    private static IncomingRecipient accepted(ImportLine<IncomingRecipient> line) {
        assertThat(line).isInstanceOf(ImportLine.Accepted.class);
        return ((ImportLine.Accepted<IncomingRecipient>) line).value();
    }

    private static ImportLine.Rejected<IncomingRecipient> rejected(ImportLine<IncomingRecipient> line) {
        assertThat(line).isInstanceOf(ImportLine.Rejected.class);
        return (ImportLine.Rejected<IncomingRecipient>) line;
    }

    private List<RecordedRequest> requests() throws InterruptedException {
        return KlaviyoContract.assertEveryRequestValid(server);
    }

    private static String path() {
        return "/api/segments/" + SEGMENT + "/profiles";
    }

    /** A member who joined {@code minutes} after the generated ones started, with {@code location}. */
    private static ObjectNode member(String id, int minutes, String email, String location) {
        return profile(id, FIRST_JOINED.plusSeconds(60L * minutes), email, json(location));
    }

    private IncomingRecipient theOnlyRecipient(ObjectNode profile) throws Exception {
        segment.add(profile);
        List<ImportLine<IncomingRecipient>> lines = open().fetch(null, null).lines();
        assertThat(lines).hasSize(1);
        return accepted(lines.get(0));
    }

    @Test
    void readsEveryPageByItsNextLinkToTheLast() throws Exception {
        segmentOf(250);

        List<Page<IncomingRecipient>> pages = readAll(open(), null);

        assertThat(pages).extracting(page -> page.lines().size()).containsExactly(100, 100, 50);
        assertThat(pages.get(2).next()).isNull();
        List<IncomingRecipient> recipients = recipients(pages);
        assertThat(recipients)
                .extracting(IncomingRecipient::externalId)
                .containsExactlyElementsOf(LongStream.range(0, 250)
                        .mapToObj(FakeKlaviyoSegment::generatedId)
                        .toList());
        assertThat(recipients).extracting(IncomingRecipient::joinedGroupAt).isSorted();
        List<RecordedRequest> requests = requests();
        assertThat(requests)
                .extracting(r -> r.getUrl().encodedPath())
                .containsExactly(path(), path() + "/", path() + "/");
        assertThat(requests.get(1).getUrl().toString()).isEqualTo(pages.get(0).next());
        assertThat(requests.get(2).getUrl().toString()).isEqualTo(pages.get(1).next());
    }

    @Test
    void asksForTheMembersWhoJoinedSinceTheCheckpointInTheOrderTheyJoined() throws Exception {
        segmentOf(10);

        open().fetch(Instant.parse("2024-01-01T00:00:02.750Z"), null);

        RecordedRequest request = requests().get(0);
        HttpUrl url = request.getUrl();
        assertThat(request.getMethod()).isEqualTo("GET");
        assertThat(url.encodedPath()).isEqualTo("/api/segments/Y6nRLr/profiles");
        assertThat(url.queryParameterNames())
                .containsExactlyInAnyOrder("page[size]", "sort", "fields[profile]", "filter");
        assertThat(url.queryParameter("page[size]")).isEqualTo("100");
        assertThat(url.queryParameter("sort")).isEqualTo("joined_group_at");
        assertThat(url.queryParameter("filter")).isEqualTo("greater-or-equal(joined_group_at,2024-01-01T00:00:02Z)");
        assertThat(url.queryParameter("fields[profile]"))
                .isEqualTo("email,first_name,last_name,joined_group_at,location.address1,location.address2,"
                        + "location.city,location.region,location.zip,location.country");
        assertThat(request.getHeaders().get("Authorization")).isEqualTo("Klaviyo-API-Key " + KEY);
        assertThat(request.getHeaders().get("revision")).isEqualTo("2026-07-15");
        assertThat(request.getHeaders().get("accept")).isEqualTo("application/vnd.api+json");
    }

    @Test
    void membersWhoJoinedInTheCheckpointsSecondAreReadAgainForTheWriterToSkip() throws Exception {
        segmentOf(10);
        Instant checkpoint = segment.joinedAt(4);

        List<IncomingRecipient> recipients = recipients(readAll(open(), checkpoint));

        assertThat(segment.joinedAt(3)).isEqualTo(checkpoint);
        assertThat(recipients.get(0).externalId()).isEqualTo(generatedId(3));
        assertThat(recipients).hasSize(7);
        requests();
    }

    @Test
    void withoutACheckpointAsksForEveryMember() throws Exception {
        segmentOf(3);

        assertThat(recipients(readAll(open(), null))).hasSize(3);
        assertThat(requests().get(0).getUrl().queryParameter("filter")).isNull();
    }

    @Test
    void anEmptySegmentIsOneEmptyLastPage() throws Exception {
        Page<IncomingRecipient> page = open().fetch(null, null);

        assertThat(page.lines()).isEmpty();
        assertThat(page.isLast()).isTrue();
        requests();
    }

    @Test
    void mapsAProfileToARecipientOfTheCampaign() throws Exception {
        ObjectNode sarah = member(
                "01GDDKASAP8TKDDA2GRZDSVP4H",
                90,
                "  Sarah.Mason@Klaviyo-Demo.com ",
                "{'address1': '89 E 42nd Street', 'address2': '1st floor', 'city': 'New York', 'region': 'NY',"
                        + " 'zip': '10017', 'country': 'United States', 'latitude': '40.7128', 'longitude': 74.006,"
                        + " 'timezone': 'America/New_York', 'ip': '127.0.0.1'}");
        ((ObjectNode) sarah.path("attributes")).put("first_name", "Sarah").put("last_name", "Mason");

        IncomingRecipient recipient = theOnlyRecipient(sarah);

        assertThat(recipient.campaignId()).isEqualTo(CAMPAIGN);
        assertThat(recipient.naturalKey()).isEqualTo("01GDDKASAP8TKDDA2GRZDSVP4H");
        assertThat(recipient.externalId()).isEqualTo("01GDDKASAP8TKDDA2GRZDSVP4H");
        assertThat(recipient.status()).isNull();
        assertThat(recipient.createdAt()).isEqualTo(IMPORT_TIME);
        assertThat(recipient.sentAt()).isNull();
        assertThat(recipient.email()).isEqualTo("Sarah.Mason@Klaviyo-Demo.com");
        assertThat(recipient.emailLower()).isEqualTo("sarah.mason@klaviyo-demo.com");
        assertThat(recipient.firstName()).isEqualTo("Sarah");
        assertThat(recipient.lastName()).isEqualTo("Mason");
        assertThat(recipient.address1()).isEqualTo("89 E 42nd Street");
        assertThat(recipient.address2()).isEqualTo("1st floor");
        assertThat(recipient.city()).isEqualTo("New York");
        assertThat(recipient.region()).isEqualTo("NY");
        assertThat(recipient.zip()).isEqualTo("10017");
        assertThat(recipient.country()).isEqualTo("US");
        assertThat(recipient.addressKey()).isEqualTo(AddressKey.of("89 E 42nd Street", "1st floor", "10017", "US"));
        assertThat(recipient.discountCode()).isNull();
        assertThat(recipient.addressSource()).isEqualTo("klaviyo");
        assertThat(recipient.joinedGroupAt()).isEqualTo(Instant.parse("2024-01-01T01:30:00Z"));
        assertThat(requests().get(0).getUrl().queryParameter("fields[profile]")).doesNotContain("location.ip");
    }

    @ParameterizedTest
    @CsvSource({
        "Germany, DE",
        "United Kingdom, GB",
        "UK, GB",
        "Canada, CA",
        "United States of America, US",
        "Côte d’Ivoire, CI",
        "fr, FR"
    })
    void aCountryNameBecomesItsIsoCode(String name, String code) throws Exception {
        IncomingRecipient recipient = theOnlyRecipient(member(
                "01HCOUNTRY",
                1,
                "someone@example.com",
                "{'address1': '1 High Street', 'city': 'Somewhere', 'zip': '12345', 'country': '" + name + "'}"));

        assertThat(recipient.country()).isEqualTo(code);
        assertThat(recipient.addressKey()).isEqualTo(AddressKey.of("1 High Street", null, "12345", code));
        requests();
    }

    @Test
    void anAddressWithoutACountryIsInTheUnitedStatesAsAnImportsIs() throws Exception {
        IncomingRecipient recipient = theOnlyRecipient(member(
                "01HNOCOUNTRY",
                1,
                "someone@example.com",
                "{'address1': '1 Main St', 'city': 'Springfield', 'zip': '62701-1234', 'country': null}"));

        assertThat(recipient.country()).isEqualTo("US");
        assertThat(recipient.addressKey()).isEqualTo(AddressKey.of("1 Main St", null, "62701", "US"));
        requests();
    }

    @Test
    void aMemberWithAnEmailAndNoAddressIsARecipientForEnrichmentToAddressAndOneWithAnAddressOnlyToo() throws Exception {
        segment.add(member("01HEMAILONLY", 1, "only.email@example.com", "{'timezone': 'Europe/Paris'}"))
                .add(member("01HNOLOCATION", 2, "no.location@example.com", "null"))
                .add(
                        member(
                                "01HADDRESSONLY",
                                3,
                                null,
                                "{'address1': '1 Main St', 'city': 'Springfield', 'zip': '62701', 'country': 'United States'}"));

        List<IncomingRecipient> recipients = recipients(List.of(open().fetch(null, null)));

        assertThat(recipients)
                .extracting(IncomingRecipient::externalId)
                .containsExactly("01HEMAILONLY", "01HNOLOCATION", "01HADDRESSONLY");
        assertThat(recipients.get(0).address1()).isNull();
        assertThat(recipients.get(0).addressKey()).isNull();
        assertThat(recipients.get(2).email()).isNull();
        assertThat(recipients.get(2).emailLower()).isNull();
        assertThat(recipients.get(2).naturalKey()).isEqualTo("01HADDRESSONLY");
        requests();
    }

    @Test
    void malformedAndUnusableProfilesAreRejectedWithTheirIdsAndTheRestOfThePageIsRead() throws Exception {
        answersFollowTheDescription = false;
        String fullAddress = "{'address1': '1 Main St', 'city': 'Springfield', 'zip': '62701'}";
        ObjectNode noId = member("ignored", 7, "no.id@example.com", fullAddress);
        noId.remove("id");
        ObjectNode emailObject = member("01HEMAILOBJECT", 3, "x@example.com", fullAddress);
        ((ObjectNode) emailObject.path("attributes")).putObject("email").put("address", "x@example.com");
        ObjectNode nul = member("01HNUL", 5, "nul@example.com", fullAddress);
        ((ObjectNode) nul.path("attributes")).put("first_name", "Ann\u0000");
        ObjectNode noJoin = member("01HNOJOIN", 9, "no.join@example.com", fullAddress);
        ((ObjectNode) noJoin.path("attributes")).remove("joined_group_at");
        segment.add(member("01HGOOD1", 1, "good1@example.com", fullAddress))
                .add(member("01HNOTHING", 2, null, "{'city': 'Springfield', 'country': 'United States'}"))
                .add(emailObject)
                .add(member("01HNOCITY", 4, null, "{'address1': '1 Main St', 'zip': '62701'}"))
                .add(nul)
                .add(member("01HBADEMAIL", 6, "not-an-email", fullAddress))
                .add(FIRST_JOINED.plusSeconds(7 * 60), noId)
                .add(member(
                        "01HNARNIA",
                        8,
                        "aslan@example.com",
                        "{'address1': '1 Lamp Post', 'city': 'Cair Paravel', 'zip': '1', 'country': 'Narnia'}"))
                .add(FIRST_JOINED.plusSeconds(9 * 60), noJoin)
                .add(member("01HLONG", 10, "long@example.com", "{'address1': '" + "x".repeat(256) + "'}"))
                .add(member("01HGOOD2", 11, "good2@example.com", fullAddress));

        List<ImportLine<IncomingRecipient>> lines = open().fetch(null, null).lines();

        assertThat(lines).hasSize(11).allSatisfy(line -> assertThat(line.line()).isZero());
        assertThat(accepted(lines.get(0)).externalId()).isEqualTo("01HGOOD1");
        assertThat(rejected(lines.get(1)))
                .extracting(ImportLine.Rejected::recordId, ImportLine.Rejected::reason)
                .containsExactly(
                        "01HNOTHING",
                        "needs an email or a full address (location.address1, location.city, location.zip)");
        assertThat(rejected(lines.get(2)).reason()).startsWith("email is not text but '{\"address\":");
        assertThat(rejected(lines.get(3)).recordId()).isEqualTo("01HNOCITY");
        assertThat(rejected(lines.get(3)).reason()).startsWith("needs an email or a full address");
        assertThat(rejected(lines.get(4)).reason())
                .isEqualTo("first_name contains a NUL character (byte 0), which the database cannot store");
        assertThat(rejected(lines.get(5)).reason()).isEqualTo("email 'not-an-email' is not an email address");
        assertThat(rejected(lines.get(6)))
                .extracting(ImportLine.Rejected::recordId, ImportLine.Rejected::reason)
                .containsExactly(null, "the profile has no id");
        assertThat(rejected(lines.get(7)).reason())
                .isEqualTo("location.country 'Narnia' is no country name or ISO 3166-1 code known");
        assertThat(rejected(lines.get(8)).reason()).isEqualTo("joined_group_at is required");
        assertThat(rejected(lines.get(9)).reason()).isEqualTo("location.address1 is longer than 255 characters (256)");
        assertThat(rejected(lines.get(9)).raw())
                .startsWith("{\"type\":\"profile\",\"id\":\"01HLONG\"")
                .hasSizeLessThan(300);
        assertThat(accepted(lines.get(10)).externalId()).isEqualTo("01HGOOD2");
        requests();
    }

    @Test
    void waitsOutA429ForItsRetryAfterAndAsksAgain() throws Exception {
        segmentOf(250).limits(2, FakeKlaviyoSegment.BURST_LIMIT);

        List<IncomingRecipient> recipients = recipients(readAll(open(), null));

        assertThat(recipients).hasSize(250);
        assertThat(segment.throttled()).isEqualTo(1);
        assertThat(sleeper.sleeps()).containsExactly(Duration.ofSeconds(60));
        assertThat(requests()).hasSize(4);
    }

    @Test
    void aServerErrorIsAskedAgainAfterABackoff() throws Exception {
        segmentOf(3).answerFirst(FakeKlaviyo.status(503, "error", "Service unavailable."));

        assertThat(recipients(readAll(open(), null))).hasSize(3);
        assertThat(sleeper.sleeps()).hasSize(1);
        requests();
    }

    @ParameterizedTest
    @ValueSource(ints = {401, 403})
    void refusedCredentialsFailAtOnceSayingSoWithoutTheKey(int status) throws Exception {
        segmentOf(3)
                .answerFirst(FakeKlaviyo.status(
                        status,
                        status == 401 ? "not_authenticated" : "permission_denied",
                        "Incorrect authentication."));
        AudienceSource source = open();

        assertThatThrownBy(() -> source.fetch(null, null))
                .isInstanceOf(ProviderHttpException.class)
                .hasMessageContaining("status " + status)
                .hasMessageContaining("Klaviyo refused the credentials")
                .hasMessageContaining("integrations.klaviyo.api_key")
                .hasMessageContaining("profiles:read and segments:read")
                .hasMessageNotContaining(KEY);
        assertThat(server.getRequestCount()).isEqualTo(1);
        assertThat(sleeper.sleeps()).isEmpty();
        requests();
    }

    @Test
    void aKeyTheAccountDoesNotKnowIsRefusedByTheFakeToo() throws Exception {
        Map<String, String> settings = settings();
        settings.put("api_key", "${KLAVIYO_OLD_KEY}");

        assertThatThrownBy(() -> open(settings).fetch(null, null))
                .hasMessageContaining("status 401")
                .hasMessageNotContaining("pk_live_revoked");
        assertThat(segment.requests()).isEqualTo(1);
        requests();
    }

    @Test
    void aSegmentKlaviyoDoesNotKnowFailsWithItsErrorCode() throws Exception {
        AudienceSource other = new KlaviyoAudienceSources(new Secrets(environment), sleeper, new RateLimits())
                .open(new AudienceReading(
                        "acme",
                        Map.of(),
                        Map.of(),
                        IMPORT_TIME,
                        CAMPAIGN,
                        "Gone1",
                        new IntegrationSettings("klaviyo", settings())));

        assertThatThrownBy(() -> other.fetch(null, null))
                .isInstanceOf(ProviderHttpException.class)
                .hasMessageContaining("status 404")
                .hasMessageContaining("not_found");
        requests();
    }

    @Test
    void theBaseUrlTakesTheRequestsWithTheDocumentedPath() throws Exception {
        Map<String, String> settings = settings();
        settings.put("base_url", server.url("/").toString().replaceAll("/$", ""));

        open(settings).fetch(null, null);

        assertThat(requests()).extracting(r -> r.getUrl().encodedPath()).containsExactly(path());
    }

    @Test
    void withoutABaseUrlTheDocumentedHostIsTheOnlyOneTheKeyGoesTo() {
        Map<String, String> settings = settings();
        settings.remove("base_url");
        String cursor = server.url(path() + "/?page%5Bcursor%5D=c2VnOjA6MTAw").toString();

        assertThatThrownBy(() -> open(settings).fetch(null, cursor))
                .hasMessageStartingWith("klaviyo segment Y6nRLr: ")
                .hasMessageContaining("is not on the configured base URL https://a.klaviyo.com:443");
        assertThat(server.getRequestCount()).isZero();
    }

    @Test
    void aNextLinkToAnotherHostIsNotFollowed() throws Exception {
        segmentOf(150).linkTo(HttpUrl.get("https://klaviyo.example.net/"));

        assertThatThrownBy(() -> open().fetch(null, null))
                .hasMessageContaining("klaviyo.example.net")
                .hasMessageContaining("not followed, so that the API key goes nowhere else");
        assertThat(requests()).hasSize(1);
    }

    @Test
    void aCursorOfAnotherSegmentIsRefusedWithoutARequest() {
        String cursor = server.url("/api/segments/Other1/profiles/?page%5Bcursor%5D=c2VnOjA6MTAw")
                .toString();

        assertThatThrownBy(() -> open().fetch(null, cursor))
                .hasMessageContaining("is not a page of /api/segments/Y6nRLr/profiles");
        assertThat(server.getRequestCount()).isZero();
    }

    @Test
    void aPagesCursorFetchesThatPageAgainInAnotherProcess() throws Exception {
        segmentOf(250);
        AudienceSource first = open();
        Page<IncomingRecipient> page1 = first.fetch(FIRST_JOINED, null);
        Page<IncomingRecipient> page2 = first.fetch(FIRST_JOINED, page1.next());
        requests();

        Page<IncomingRecipient> again = open().fetch(FIRST_JOINED, page1.next());

        assertThat(again).isEqualTo(page2);
        assertThat(recipients(List.of(again)).get(0).externalId()).isEqualTo(generatedId(100));
        assertThat(requests()).extracting(r -> r.getUrl().toString()).containsExactly(page1.next());
    }

    @Test
    void itsProviderAndLocationNameTheSegmentNeverTheUrlOrKey() {
        AudienceSource source = open();

        assertThat(source.provider()).isEqualTo("klaviyo");
        assertThat(source.location()).isEqualTo("klaviyo segment Y6nRLr");
        assertThat(new KlaviyoAudienceSources(new Secrets(environment)).provider())
                .isEqualTo("klaviyo");
    }

    @Test
    void theSegmentEndpointHasALimiterApartFromTheOrderReadings() {
        RateLimits rateLimits = new RateLimits();
        new KlaviyoOrderSources(new Secrets(environment), sleeper, rateLimits)
                .open(new OrderReading(
                        "acme", Map.of(), Partitions.Slice.ALL, "7", new IntegrationSettings("klaviyo", settings())));

        open(settings(), rateLimits);
        open(settings(), rateLimits);

        assertThat(rateLimits.limiterFor(
                        KlaviyoAudienceSources.segmentsAccount("acme"), KlaviyoApi.SEGMENT_PROFILES_RATE_LIMIT))
                .isNotSameAs(rateLimits.limiterFor(new ProviderAccount("klaviyo", "acme"), KlaviyoApi.RATE_LIMIT));
    }

    @Test
    void theSegmentLimitUsesOverNinetyPercentOfTheSteadyLimitAndNeverPassesItsWindows() {
        RateLimit limit = KlaviyoApi.SEGMENT_PROFILES_RATE_LIMIT;
        double periodsPerMinute =
                Duration.ofMinutes(1).toNanos() / (double) limit.period().toNanos();
        double periodsPerSecond =
                Duration.ofSeconds(1).toNanos() / (double) limit.period().toNanos();

        assertThat(limit.permits() * periodsPerMinute).isGreaterThanOrEqualTo(0.9 * FakeKlaviyoSegment.STEADY_LIMIT);
        assertThat(limit.permits() * (Math.ceil(periodsPerMinute) + 1))
                .isLessThanOrEqualTo(FakeKlaviyoSegment.STEADY_LIMIT);
        assertThat(limit.permits() * (Math.ceil(periodsPerSecond) + 1))
                .isLessThanOrEqualTo(FakeKlaviyoSegment.BURST_LIMIT);
    }

    @Test
    void aReadingWithoutASegmentOrItsCampaignIsRefused() {
        KlaviyoAudienceSources sources =
                new KlaviyoAudienceSources(new Secrets(environment), sleeper, new RateLimits());

        assertThatThrownBy(() -> sources.open(new AudienceReading("acme", Map.of(), Map.of(), IMPORT_TIME)))
                .hasMessage("a Klaviyo audience needs a segment id");
        assertThatThrownBy(() -> sources.open(new AudienceReading(
                        "acme",
                        Map.of(),
                        Map.of(),
                        IMPORT_TIME,
                        null,
                        SEGMENT,
                        new IntegrationSettings("klaviyo", settings()))))
                .hasMessageContaining("klaviyo segment Y6nRLr is read for one campaign");
    }

    @Test
    void aMissingApiKeyIsRefusedWhenTheSourceOpens() {
        Map<String, String> settings = settings();
        settings.remove("api_key");

        assertThatThrownBy(() -> open(settings))
                .hasMessage("integrations.klaviyo.api_key is not set in the organization's apply file");
    }

    @Test
    void withoutAnImportTimeRecipientsAreCreatedWhenTheSourceOpens() throws Exception {
        segmentOf(1);
        Instant before = Instant.now();
        AudienceSource source = new KlaviyoAudienceSources(new Secrets(environment), sleeper, new RateLimits())
                .open(new AudienceReading(
                        "acme",
                        Map.of(),
                        Map.of(),
                        null,
                        CAMPAIGN,
                        SEGMENT,
                        new IntegrationSettings("klaviyo", settings())));

        IncomingRecipient recipient =
                recipients(List.of(source.fetch(null, null))).get(0);

        assertThat(recipient.createdAt()).isBetween(before.minusMillis(1), Instant.now());
        requests();
    }
}
