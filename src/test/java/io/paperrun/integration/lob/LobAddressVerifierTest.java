package io.paperrun.integration.lob;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.paperrun.enrichment.AddressVerifier;
import io.paperrun.enrichment.PostalAddress;
import io.paperrun.enrichment.Strictness;
import io.paperrun.enrichment.Verification;
import io.paperrun.integration.http.FakeSleeper;
import io.paperrun.integration.http.ProviderAccount;
import io.paperrun.integration.http.ProviderHttpException;
import io.paperrun.integration.http.RateLimits;
import io.paperrun.integration.http.Secrets;
import io.paperrun.organization.IntegrationSettings;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.mock.env.MockEnvironment;
import tools.jackson.databind.JsonNode;

/** The Lob US verification client, against a fake answering as a test key does (providers.md §1). */
class LobAddressVerifierTest {

    private static final String KEY = "test_0dc8d51e0acffcb1880e0f19c79b2f5b0cc";
    private static final PostalAddress BERRY =
            new PostalAddress("185 Berry St", "Ste 6100", "San Francisco", "CA", "94107", "US");

    @StartStop
    private final MockWebServer server = new MockWebServer();

    private final FakeLob lob = new FakeLob(KEY);
    private final FakeSleeper sleeper = new FakeSleeper();
    private final RateLimits rateLimits = new RateLimits();
    private final LobAddressVerifiers verifiers = new LobAddressVerifiers(
            new Secrets(new MockEnvironment().withProperty("LOB_KEY", KEY)), rateLimits, sleeper);

    @BeforeEach
    void serve() {
        server.setDispatcher(lob);
    }

    private Optional<AddressVerifier> open(Map<String, String> more) {
        Map<String, String> settings = new HashMap<>();
        settings.put("api_key", "${LOB_KEY}");
        settings.put("base_url", server.url("/").toString());
        settings.putAll(more);
        return verifiers.open("acme", new IntegrationSettings("lob", settings));
    }

    private AddressVerifier open() {
        return open(Map.of("verify_addresses", "true")).orElseThrow();
    }

    private static PostalAddress line(String primary) {
        return new PostalAddress(primary, null, null, null, "94107", "US");
    }

    @Test
    void verifiesTheComponentsWithTheKeyAsBasicUser() throws Exception {
        assertThat(open().verify(BERRY)).isEqualTo(new Verification.Verdict("deliverable"));

        RecordedRequest request = lob.requests().get(0);
        assertThat(request.getMethod()).isEqualTo("POST");
        assertThat(request.getUrl().encodedPath()).isEqualTo("/v1/us_verifications");
        assertThat(request.getHeaders().get("Authorization"))
                .isEqualTo("Basic " + Base64.getEncoder().encodeToString((KEY + ":").getBytes(StandardCharsets.UTF_8)));
        assertThat(request.getHeaders().get("Content-Type")).startsWith("application/json");
        JsonNode body = lob.body(0);
        assertThat(body.path("primary_line").asString()).isEqualTo("185 Berry St");
        assertThat(body.path("secondary_line").asString()).isEqualTo("Ste 6100");
        assertThat(body.path("city").asString()).isEqualTo("San Francisco");
        assertThat(body.path("state").asString()).isEqualTo("CA");
        assertThat(body.path("zip_code").asString()).isEqualTo("94107");
    }

    @Test
    void theMissingComponentsAreNotSent() throws Exception {
        open().verify(line("deliverable"));

        assertThat(lob.body(0).propertyNames()).containsExactly("primary_line", "zip_code");
    }

    @ParameterizedTest
    @CsvSource({
        "deliverable, deliverable",
        "unnecessary unit, deliverable_unnecessary_unit",
        "incorrect unit, deliverable_incorrect_unit",
        "missing unit, deliverable_missing_unit",
        "undeliverable no match, undeliverable"
    })
    void eachTestKeyMagicLineGivesItsDeliverability(String primaryLine, String deliverability) throws Exception {
        assertThat(open().verify(line(primaryLine))).isEqualTo(new Verification.Verdict(deliverability));
    }

    @Test
    void anAddressLobCannotReadIsRefusedNotFailed() throws Exception {
        assertThat(open().verify(new PostalAddress(null, null, "Springfield", "IL", "62701", "US")))
                .isEqualTo(new Verification.Refused("invalid"));
    }

    @Test
    void aRefusedKeyFailsAtOnceInOneLineWithoutRetrying() {
        FakeLob other = new FakeLob("test_someone_elses_key");
        server.setDispatcher(other);

        assertThatThrownBy(() -> open().verify(BERRY))
                .isInstanceOf(ProviderHttpException.class)
                .hasMessageContaining("POST " + server.url("/v1/us_verifications"))
                .hasMessageContaining("status 401, Lob refused the API key (integrations.lob.api_key): unauthorized")
                .hasMessageNotContaining(KEY)
                .hasMessageNotContaining("\n");
        assertThat(other.requests()).hasSize(1);
        assertThat(sleeper.sleeps()).isEmpty();
    }

    @Test
    void aVerificationIsSafeToRepeatSoA5xxIsRetried() throws Exception {
        lob.failNext(3, 503);

        assertThat(open().verify(BERRY)).isEqualTo(new Verification.Verdict("deliverable"));
        assertThat(lob.requests()).hasSize(4);
    }

    @Test
    void a429IsRetriedAfterTheTimeLobSays() throws Exception {
        lob.answerFirst(new MockResponse.Builder(FakeLob.error(
                        429,
                        "rate_limit_exceeded",
                        "Rate limit exceeded. Please wait 5 seconds and try your request again."))
                .setHeader("Retry-After", "5")
                .build());

        assertThat(open().verify(BERRY)).isEqualTo(new Verification.Verdict("deliverable"));
        assertThat(sleeper.sleeps()).containsExactly(Duration.ofSeconds(5));
    }

    @Test
    void anOutageOutlastingTheRetriesFails() {
        lob.failNext(Integer.MAX_VALUE, 500);

        assertThatThrownBy(() -> open().verify(BERRY))
                .isInstanceOf(ProviderHttpException.class)
                .hasMessageContaining("gave up after 4 attempts, last status 500");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "false"})
    void addressesAreVerifiedOnlyWhenVerifyAddressesIsTrue(String verify) {
        Map<String, String> settings = verify.isEmpty() ? Map.of() : Map.of("verify_addresses", verify);
        assertThat(open(settings)).isEmpty();
    }

    @Test
    void theStrictnessIsTheOrganizationsNormalUnlessSaid() {
        assertThat(open().strictness()).isEqualTo(Strictness.NORMAL);
        assertThat(open(Map.of("verify_addresses", "true", "strictness", "strict"))
                        .orElseThrow()
                        .strictness())
                .isEqualTo(Strictness.STRICT);
        assertThat(open(Map.of("verify_addresses", "true", "strictness", "relaxed"))
                        .orElseThrow()
                        .strictness())
                .isEqualTo(Strictness.RELAXED);
        assertThatThrownBy(() -> open(Map.of("verify_addresses", "true", "strictness", "lenient")))
                .hasMessage("integrations.lob.strictness: strictness 'lenient' is none of strict, normal, relaxed");
    }

    @Test
    void verificationsHaveLobsLimitForThatEndpoint() {
        open();
        RateLimiterConfig config = rateLimits
                .limiterFor(new ProviderAccount("lob", "acme/us_verifications"), LobAddressVerifiers.RATE_LIMIT)
                .getRateLimiterConfig();
        assertThat(config.getLimitForPeriod()).isEqualTo(300);
        assertThat(config.getLimitRefreshPeriod()).isEqualTo(Duration.ofSeconds(5));
    }
}
