package io.paperrun.integration.http;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import okhttp3.Call;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The HTTP client of one provider account: timeouts, the account's rate limit, its authentication,
 * and retries with backoff for requests that are safe to repeat. Built once per account and reused.
 */
public final class ProviderHttpClient {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static final Logger log = LoggerFactory.getLogger(ProviderHttpClient.class);

    /** One connection pool and dispatcher for every provider client in the process. */
    private static final OkHttpClient BASE = new OkHttpClient();

    private static final Set<String> IDEMPOTENT_METHODS = Set.of("GET", "HEAD", "PUT", "DELETE", "OPTIONS", "TRACE");

    private final ProviderAccount account;
    private final OkHttpClient http;
    private final HttpTimeouts timeouts;
    private final Backoff backoff;
    private final String idempotencyKeyHeader;
    private final Sleeper sleeper;
    private final Redaction redaction;

    private ProviderHttpClient(Builder builder) {
        this.account = builder.account;
        this.timeouts = builder.timeouts;
        this.backoff = builder.backoff;
        this.idempotencyKeyHeader = builder.idempotencyKeyHeader;
        this.sleeper = builder.sleeper;
        this.redaction = Redaction.of(builder.authentication);
        Authentication authentication = builder.authentication;
        this.http = BASE.newBuilder()
                .connectTimeout(timeouts.connect())
                .readTimeout(timeouts.read())
                .writeTimeout(timeouts.read())
                .callTimeout(timeouts.call())
                // Retries are this class's decision alone: OkHttp's own could repeat a POST without a key.
                .retryOnConnectionFailure(false)
                // A redirect would carry the account's secret header to wherever it points.
                .followRedirects(false)
                .followSslRedirects(false)
                .addInterceptor(
                        new RateLimitInterceptor(builder.rateLimits.limiterFor(account, builder.rateLimit), redaction))
                .addInterceptor(chain -> chain.proceed(authentication.applyTo(chain.request())))
                .addInterceptor(new RequestLog(redaction))
                .build();
    }

    /** A builder for {@code account}'s client, with the defaults of {@link HttpTimeouts}, {@link Backoff}. */
    public static Builder forAccount(ProviderAccount account) {
        return new Builder(account);
    }

    public ProviderAccount account() {
        return account;
    }

    /** The redaction of this account's secrets, for messages a provider client writes itself. */
    /** {@code body}, the answer to {@code request}, as JSON; an answer that is not JSON fails naming the request. */
    public JsonNode json(Request request, String body) throws IOException {
        try {
            return JSON.readTree(body);
        } catch (JacksonException notJson) {
            throw new IOException(redaction.describe(request) + ": the response is not JSON", notJson);
        }
    }

    public Redaction redaction() {
        return redaction;
    }

    /**
     * Marks a request that has no side effect although its method is not idempotent (a GraphQL query
     * sent as a POST) as safe to repeat: {@code new Request.Builder().tag(SafeToRepeat.class, RETURN_429)}.
     */
    public enum SafeToRepeat {
        /** Retried as a GET is: on I/O failures, 429 and 5xx. */
        RETRY_429,
        /** Retried on I/O failures and 5xx; a 429 is returned, for a caller that paces itself from its body. */
        RETURN_429
    }

    /**
     * The response to {@code request}, for the caller to close. An idempotent method, a request with
     * the idempotency key header or one tagged {@link SafeToRepeat} is retried on I/O failures, 429
     * (unless tagged {@link SafeToRepeat#RETURN_429}) and 5xx within the {@link Backoff}.
     */
    public Response execute(Request request) throws IOException {
        boolean repeatable = isRepeatable(request);
        Instant deadline = sleeper.now().plus(backoff.totalTime());
        for (int attempt = 1; ; attempt++) {
            Response response;
            try {
                response = send(request, deadline);
            } catch (ProviderHttpException notSent) {
                throw notSent;
            } catch (IOException failure) {
                String what = failure.getClass().getSimpleName();
                if (!repeatable) {
                    throw new ProviderHttpException(
                            redaction.describe(request) + ": " + what
                                    + "; not retried, since a " + request.method() + " without an "
                                    + idempotencyKeyHeader
                                    + " header may already have taken effect",
                            attempt,
                            null,
                            failure);
                }
                Duration delay =
                        backoff.delayAfter(attempt, ThreadLocalRandom.current().nextDouble());
                if (attempt >= backoff.maxAttempts() || !fitsBefore(delay, deadline)) {
                    throw gaveUp(request, attempt, "last failure " + what, null, failure);
                }
                waitToRetry(request, attempt, what, delay);
                continue;
            }
            int status = response.code();
            if (!repeatable || !isRetryable(status) || (status == 429 && returns429(request))) {
                return response;
            }
            Duration backoffDelay =
                    backoff.delayAfter(attempt, ThreadLocalRandom.current().nextDouble());
            Optional<Duration> retryAfter = status == 429
                    ? RetryAfter.of(response::header, sleeper.now())
                    : RetryAfter.parse(response.header("Retry-After"), sleeper.now());
            Duration delay =
                    retryAfter.filter(wait -> wait.compareTo(backoffDelay) > 0).orElse(backoffDelay);
            response.close();
            if (attempt >= backoff.maxAttempts()) {
                throw gaveUp(request, attempt, "last status " + status, status, null);
            }
            if (!fitsBefore(delay, deadline)) {
                throw gaveUp(
                        request,
                        attempt,
                        "last status " + status
                                + retryAfter
                                        .filter(delay::equals)
                                        .map(wait ->
                                                " with Retry-After " + wait.toSeconds() + " s beyond the time left")
                                        .orElse(""),
                        status,
                        null);
            }
            waitToRetry(request, attempt, "status " + status, delay);
        }
    }

    /**
     * The exception for a response the caller will not handle: method, redacted URL and status,
     * plus {@code detail} (such as the provider's error code) with the account's secrets replaced.
     */
    public ProviderHttpException failure(Response response, String detail) {
        String message = redaction.describe(response.request()) + ": status " + response.code();
        if (detail != null && !detail.isBlank()) {
            message += ", " + redaction.text(detail);
        }
        return new ProviderHttpException(message, 0, response.code(), null);
    }

    private Response send(Request request, Instant deadline) throws IOException {
        Call call = http.newCall(request);
        Duration left = Duration.between(sleeper.now(), deadline);
        long timeoutMillis = Math.max(1, Math.min(timeouts.call().toMillis(), left.toMillis()));
        call.timeout().timeout(timeoutMillis, TimeUnit.MILLISECONDS);
        return call.execute();
    }

    private boolean isRepeatable(Request request) {
        String key = request.header(idempotencyKeyHeader);
        return IDEMPOTENT_METHODS.contains(request.method())
                || (key != null && !key.isBlank())
                || request.tag(SafeToRepeat.class) != null;
    }

    private static boolean returns429(Request request) {
        return request.tag(SafeToRepeat.class) == SafeToRepeat.RETURN_429;
    }

    private static boolean isRetryable(int status) {
        return status == 429 || (status >= 500 && status != 501 && status != 505);
    }

    private boolean fitsBefore(Duration delay, Instant deadline) {
        return !sleeper.now().plus(delay).isAfter(deadline);
    }

    private ProviderHttpException gaveUp(Request request, int attempts, String last, Integer status, Throwable cause) {
        return new ProviderHttpException(
                redaction.describe(request) + ": gave up after " + attempts
                        + (attempts == 1 ? " attempt, " : " attempts, ") + last,
                attempts,
                status,
                cause);
    }

    private void waitToRetry(Request request, int attempt, String why, Duration delay) throws IOException {
        log.info(
                "{}: {}, attempt {} of {}; retrying in {} ms",
                redaction.describe(request),
                why,
                attempt,
                backoff.maxAttempts(),
                delay.toMillis());
        try {
            sleeper.sleep(delay);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            InterruptedIOException interrupted =
                    new InterruptedIOException(redaction.describe(request) + ": interrupted while waiting to retry");
            interrupted.initCause(e);
            throw interrupted;
        }
    }

    /** Settings of a {@link ProviderHttpClient}; everything but the account has a default. */
    public static final class Builder {

        private final ProviderAccount account;
        private HttpTimeouts timeouts = HttpTimeouts.DEFAULT;
        private Backoff backoff = Backoff.DEFAULT;
        private RateLimit rateLimit = RateLimit.UNLIMITED;
        private RateLimits rateLimits = RateLimits.shared();
        private Authentication authentication = Authentication.NONE;
        private String idempotencyKeyHeader = "Idempotency-Key";
        private Sleeper sleeper = Sleeper.system();

        private Builder(ProviderAccount account) {
            this.account = account;
        }

        public Builder timeouts(HttpTimeouts timeouts) {
            this.timeouts = timeouts;
            return this;
        }

        public Builder backoff(Backoff backoff) {
            this.backoff = backoff;
            return this;
        }

        /** The account's limit; every client of the account must give the same one. */
        public Builder rateLimit(RateLimit rateLimit) {
            this.rateLimit = rateLimit;
            return this;
        }

        /** Where the account's limiter lives: {@link RateLimits#shared()} unless a test isolates it. */
        public Builder rateLimits(RateLimits rateLimits) {
            this.rateLimits = rateLimits;
            return this;
        }

        public Builder authentication(Authentication authentication) {
            this.authentication = authentication;
            return this;
        }

        /** The header whose presence makes a POST safe to retry: {@code Idempotency-Key} unless named. */
        public Builder idempotencyKeyHeader(String header) {
            this.idempotencyKeyHeader = header;
            return this;
        }

        public Builder sleeper(Sleeper sleeper) {
            this.sleeper = sleeper;
            return this;
        }

        public ProviderHttpClient build() {
            return new ProviderHttpClient(this);
        }
    }
}
