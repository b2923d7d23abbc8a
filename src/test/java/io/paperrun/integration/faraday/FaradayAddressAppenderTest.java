package io.paperrun.integration.faraday;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.paperrun.enrichment.AddressAppender;
import io.paperrun.enrichment.AppendedAddress;
import io.paperrun.enrichment.Person;
import io.paperrun.enrichment.PostalAddress;
import io.paperrun.integration.http.FakeSleeper;
import io.paperrun.integration.http.ProviderAccount;
import io.paperrun.integration.http.ProviderHttpException;
import io.paperrun.integration.http.RateLimits;
import io.paperrun.integration.http.Secrets;
import io.paperrun.organization.IntegrationSettings;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.mock.env.MockEnvironment;
import tools.jackson.databind.JsonNode;

/** The Faraday Lookup API client, against a fake serving the documented JSON (providers.md §7). */
class FaradayAddressAppenderTest {

    private static final String KEY = "fdy-live-2b7e4c91d0";
    private static final String TARGET = "tgt_123";
    private static final Person ANN = new Person("ann@example.com", "Ann", "Archer");

    @StartStop
    private final MockWebServer server = new MockWebServer();

    private final FakeFaraday faraday = new FakeFaraday(KEY, TARGET)
            .person(
                    "ann@example.com",
                    new FakeFaraday.Match("12 Oak Street", "Springfield", "IL", "62701", 39.78, -89.65));
    private final FakeSleeper sleeper = new FakeSleeper();
    private final RateLimits rateLimits = new RateLimits();
    private final FaradayAddressAppenders appenders = new FaradayAddressAppenders(
            new Secrets(new MockEnvironment().withProperty("FARADAY_KEY", KEY)), rateLimits, sleeper);

    @BeforeEach
    void serve() {
        server.setDispatcher(faraday);
    }

    private AddressAppender open(String target) {
        Map<String, String> settings = new HashMap<>();
        settings.put("api_key", "${FARADAY_KEY}");
        settings.put("target_id", target);
        settings.put("base_url", server.url("/").toString());
        return appenders.open("acme", new IntegrationSettings("faraday", settings));
    }

    private AddressAppender open() {
        return open(TARGET);
    }

    @Test
    void looksAPersonUpByEmailAndNameWithTheKeyAsBearer() throws Exception {
        Optional<AppendedAddress> found = open().append(ANN);

        assertThat(found)
                .contains(new AppendedAddress(
                        new PostalAddress("12 Oak Street", null, "Springfield", "IL", "62701", "US"), 39.78, -89.65));
        RecordedRequest request = faraday.requests().get(0);
        assertThat(request.getMethod()).isEqualTo("POST");
        assertThat(request.getUrl().encodedPath()).isEqualTo("/v1/targets/tgt_123/lookup");
        assertThat(request.getHeaders().get("Authorization")).isEqualTo("Bearer " + KEY);
        assertThat(request.getHeaders().get("Content-Type")).startsWith("application/json");
        JsonNode body = faraday.body(0);
        assertThat(body.path("email").asString()).isEqualTo("ann@example.com");
        assertThat(body.path("person_first_name").asString()).isEqualTo("Ann");
        assertThat(body.path("person_last_name").asString()).isEqualTo("Archer");
    }

    @Test
    void onlyTheIdentifiersThereAreAreSent() throws Exception {
        open().append(new Person("zed@example.com", null, " "));

        assertThat(faraday.body(0).propertyNames()).containsExactly("email");
    }

    @Test
    void aNoMatchIsHttp200WithAnErrorAndAppendsNothing() throws Exception {
        assertThat(open().append(new Person("nobody@example.com", "No", "Body")))
                .isEmpty();
        assertThat(faraday.requests()).hasSize(1);
    }

    @Test
    void identifiersFaradayWillNotReadMatchNoOne() throws Exception {
        faraday.answerFirst(FakeFaraday.error(400, "VALIDATION_FAILED"));

        assertThat(open().append(ANN)).isEmpty();
    }

    @Test
    void aRefusedKeyFailsAtOnceInOneLineWithoutRetrying() {
        faraday.answerFirst(FakeFaraday.error(401, "UNAUTHORIZED"));

        assertThatThrownBy(() -> open().append(ANN))
                .isInstanceOf(ProviderHttpException.class)
                .hasMessageContaining("POST " + server.url("/v1/targets/tgt_123/lookup"))
                .hasMessageContaining(
                        "status 401, Faraday refused the API key (integrations.faraday.api_key): " + "UNAUTHORIZED")
                .hasMessageNotContaining(KEY)
                .hasMessageNotContaining("\n");
        assertThat(faraday.requests()).hasSize(1);
        assertThat(sleeper.sleeps()).isEmpty();
    }

    @Test
    void anUnknownTargetFailsNamingTheSetting() {
        assertThatThrownBy(() -> open("tgt_gone").append(ANN))
                .isInstanceOf(ProviderHttpException.class)
                .hasMessageContaining(
                        "status 404, Faraday has no such Lookup API target " + "(integrations.faraday.target_id)");
    }

    @Test
    void aLookupIsSafeToRepeatSoA5xxIsRetried() throws Exception {
        faraday.failNext(2, 503);

        assertThat(open().append(ANN)).isPresent();
        assertThat(faraday.requests()).hasSize(3);
        assertThat(sleeper.sleeps()).hasSize(2);
    }

    @Test
    void a429IsRetriedAfterTheTimeFaradaySays() throws Exception {
        faraday.answerFirst(new MockResponse.Builder(FakeFaraday.error(429, "RATE_LIMITED"))
                .setHeader("Retry-After", "3")
                .build());

        assertThat(open().append(ANN)).isPresent();
        assertThat(sleeper.sleeps()).containsExactly(Duration.ofSeconds(3));
    }

    @Test
    void anOutageOutlastingTheRetriesFails() {
        faraday.failNext(Integer.MAX_VALUE, 503);

        assertThatThrownBy(() -> open().append(ANN))
                .isInstanceOf(ProviderHttpException.class)
                .hasMessageContaining("gave up after 4 attempts, last status 503");
        assertThat(faraday.requests()).hasSize(4);
    }

    @Test
    void anAppenderNeedsATarget() {
        Map<String, String> settings = Map.of("api_key", "${FARADAY_KEY}");
        assertThatThrownBy(() -> appenders.open("acme", new IntegrationSettings("faraday", settings)))
                .hasMessage("integrations.faraday.target_id is not set in the organization's apply file");
    }

    @Test
    void theLookupsOfAnAccountShareFaradaysPublishedLimit() {
        open();
        assertThat(rateLimits
                        .limiterFor(new ProviderAccount("faraday", "acme"), FaradayAddressAppenders.RATE_LIMIT)
                        .getRateLimiterConfig()
                        .getLimitForPeriod())
                .isEqualTo(100);
    }
}
