package io.paperrun.integration.cloudflare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.paperrun.integration.http.FakeSleeper;
import io.paperrun.integration.http.RateLimits;
import io.paperrun.integration.http.Secrets;
import io.paperrun.organization.IntegrationSettings;
import io.paperrun.proofing.PreviewStore;
import io.paperrun.proofing.ProofKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.mock.env.MockEnvironment;

/** Proof previews uploaded to Cloudflare Images, against a fake answering as providers.md §8 shows. */
class CloudflarePreviewStoreTest {

    private static final String ACCOUNT = "023e105f4ecef8ad9ca31a8372d0c353";
    private static final String TOKEN = "cf-Y2xvdWRmbGFyZS10b2tlbg";
    private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 1, 2, (byte) 0xff};
    private static final ProofKey KEY = new ProofKey("acme", "winback-2024", 123);

    @StartStop
    private final MockWebServer server = new MockWebServer();

    private final FakeCloudflareImages cloudflare = new FakeCloudflareImages(ACCOUNT, TOKEN);
    private final FakeSleeper sleeper = new FakeSleeper();
    private final CloudflareImages factory = new CloudflareImages(
            new Secrets(new MockEnvironment().withProperty("CF_TOKEN", TOKEN)), new RateLimits(), sleeper);

    @BeforeEach
    void serve() {
        server.setDispatcher(cloudflare);
    }

    private PreviewStore open() {
        Map<String, String> settings = new HashMap<>();
        settings.put("account_id", ACCOUNT);
        settings.put("api_token", "${CF_TOKEN}");
        settings.put("base_url", server.url("/").toString());
        return factory.open("acme", new IntegrationSettings(CloudflareImages.PROVIDER, settings));
    }

    @Test
    void uploadsThePngAsMultipartUnderACustomIdWithTheBearerToken() throws Exception {
        String url = open().store(KEY, PNG);

        String id = "paperrun-acme-winback-2024-123-front";
        assertThat(url).isEqualTo(FakeCloudflareImages.variant(id));
        RecordedRequest request = cloudflare.requests().get(0);
        assertThat(request.getMethod()).isEqualTo("POST");
        assertThat(request.getUrl().encodedPath()).isEqualTo("/client/v4/accounts/" + ACCOUNT + "/images/v1");
        assertThat(request.getHeaders().get("Authorization")).isEqualTo("Bearer " + TOKEN);
        assertThat(request.getHeaders().get("Content-Type")).startsWith("multipart/form-data; boundary=");
        Map<String, FakeCloudflareImages.Part> parts = FakeCloudflareImages.parts(request);
        assertThat(parts).containsOnlyKeys("file", "id");
        assertThat(parts.get("file").filename()).isEqualTo(id + ".png");
        assertThat(parts.get("file").contentType()).isEqualTo("image/png");
        assertThat(parts.get("file").bytes()).isEqualTo(PNG);
        assertThat(new String(parts.get("id").bytes(), StandardCharsets.UTF_8)).isEqualTo(id);
        assertThat(cloudflare.images()).containsOnlyKeys(id);
    }

    @Test
    void storingAgainFindsTheImageThatExistsAndUploadsNothingNew() throws Exception {
        PreviewStore store = open();
        String first = store.store(KEY, PNG);
        String again = store.store(KEY, PNG);

        assertThat(again).isEqualTo(first);
        assertThat(cloudflare.images()).hasSize(1);
        assertThat(cloudflare.requests()).extracting(RecordedRequest::getMethod).containsExactly("POST", "POST", "GET");
        assertThat(cloudflare.requests().get(2).getUrl().encodedPath())
                .isEqualTo("/client/v4/accounts/" + ACCOUNT + "/images/v1/paperrun-acme-winback-2024-123-front");
    }

    @Test
    void aRateLimitedUploadIsRetriedAfterItsRetryAfter() throws Exception {
        cloudflare.answerFirst(
                FakeCloudflareImages.error(429, 971, "Please wait and consider throttling your request speed")
                        .newBuilder()
                        .setHeader("Retry-After", "2")
                        .build());

        String url = open().store(KEY, PNG);

        assertThat(url).isEqualTo(FakeCloudflareImages.variant("paperrun-acme-winback-2024-123-front"));
        assertThat(cloudflare.requests()).hasSize(2);
        assertThat(sleeper.sleeps()).hasSize(1);
        assertThat(sleeper.sleeps().get(0).toMillis()).isGreaterThanOrEqualTo(2000);
    }

    @Test
    void aRefusalNamesCloudflaresErrorsAndNeverTheToken() {
        cloudflare.answerFirst(FakeCloudflareImages.error(400, 5455, "Uploaded image must have image/jpeg, image/png"));

        assertThatThrownBy(() -> open().store(KEY, PNG))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("status 400")
                .hasMessageContaining("5455 Uploaded image must have image/jpeg, image/png")
                .hasMessageContaining("paperrun-acme-winback-2024-123-front")
                .hasMessageNotContaining(TOKEN);
    }

    @Test
    void anotherTokenIsRefusedNamingTheSetting() {
        FakeCloudflareImages other = new FakeCloudflareImages(ACCOUNT, "another-token");
        server.setDispatcher(other);

        assertThatThrownBy(() -> open().store(KEY, PNG))
                .hasMessageContaining("status 401")
                .hasMessageContaining("integrations.cloudflare_images.api_token")
                .hasMessageContaining("10000 Authentication error")
                .hasMessageNotContaining(TOKEN);
    }

    @Test
    void anUnsetTokenIsRefusedBeforeAnyRequest() {
        CloudflareImages unset = new CloudflareImages(new Secrets(new MockEnvironment()), new RateLimits(), sleeper);
        Map<String, String> settings = Map.of("account_id", ACCOUNT, "api_token", "${CF_TOKEN}");

        assertThatThrownBy(() -> unset.open("acme", new IntegrationSettings(CloudflareImages.PROVIDER, settings)))
                .hasMessageContaining("integrations.cloudflare_images.api_token")
                .hasMessageContaining("CF_TOKEN");
        assertThat(cloudflare.requests()).isEmpty();
    }

    @Test
    void aServerErrorIsRetried() throws Exception {
        cloudflare.answerFirst(
                new MockResponse.Builder().code(502).body("bad gateway").build());

        assertThat(open().store(KEY, PNG))
                .isEqualTo(FakeCloudflareImages.variant("paperrun-acme-winback-2024-123-front"));
        assertThat(cloudflare.requests()).hasSize(2);
    }
}
