package io.paperrun.integration.http;

import java.io.IOException;
import okhttp3.Interceptor;
import okhttp3.Request;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs each attempt through {@link Redaction}: method, URL and status at DEBUG, headers at TRACE.
 * Bodies are never logged.
 */
final class RequestLog implements Interceptor {

    private static final Logger log = LoggerFactory.getLogger(RequestLog.class);

    private final Redaction redaction;

    RequestLog(Redaction redaction) {
        this.redaction = redaction;
    }

    @Override
    public Response intercept(Chain chain) throws IOException {
        Request request = chain.request();
        if (log.isTraceEnabled()) {
            log.trace("{} request headers:\n{}", redaction.describe(request), redaction.headers(request.headers()));
        }
        long start = System.nanoTime();
        Response response;
        try {
            response = chain.proceed(request);
        } catch (IOException e) {
            log.debug("{} failed: {}", redaction.describe(request), e.getClass().getSimpleName());
            throw e;
        }
        log.debug(
                "{} -> {} in {} ms",
                redaction.describe(request),
                response.code(),
                (System.nanoTime() - start) / 1_000_000);
        if (log.isTraceEnabled()) {
            log.trace("{} response headers:\n{}", redaction.describe(request), redaction.headers(response.headers()));
        }
        return response;
    }
}
