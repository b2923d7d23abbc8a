package io.paperrun.integration.lob;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;
import mockwebserver3.MockWebServer;
import mockwebserver3.junit5.StartStop;
import okhttp3.Credentials;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.Test;

/** The fake's own rules: Lob's postcard rate limit, by 5 s windows of its clock. */
class FakeLobTest {

    @StartStop
    private final MockWebServer server = new MockWebServer();

    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-06-01T12:00:01Z"));

    @Test
    void thePostcardsEndpointAllows150RequestsPerWindowThenAnswersLobs429() throws Exception {
        FakeLob limited = new FakeLob("test_key", now::get);
        server.setDispatcher(limited);
        OkHttpClient http = new OkHttpClient();
        Request read = new Request.Builder()
                .url(server.url("/v1/postcards/psc_0"))
                .header("Authorization", Credentials.basic("test_key", ""))
                .build();
        for (int i = 0; i < FakeLob.POSTCARD_LIMIT; i++) {
            try (Response response = http.newCall(read).execute()) {
                assertThat(response.code()).isEqualTo(404);
            }
        }
        try (Response response = http.newCall(read).execute()) {
            assertThat(response.code()).isEqualTo(429);
            assertThat(response.header("Retry-After")).isEqualTo("4");
            assertThat(response.header("X-Rate-Limit-Reset")).isEqualTo("1780315205");
            assertThat(response.body().string()).contains("\"code\":\"rate_limit_exceeded\"");
        }
        now.set(Instant.parse("2026-06-01T12:00:05Z"));
        try (Response response = http.newCall(read).execute()) {
            assertThat(response.code()).isEqualTo(404);
        }
        assertThat(limited.throttled()).isEqualTo(1);
    }
}
