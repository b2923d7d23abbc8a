package io.paperrun.batch;

import java.net.URI;
import java.time.Duration;
import java.util.regex.Pattern;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where Spring Batch's metrics go, {@code paperrun.metrics.*}, set by {@code PAPERRUN_METRICS_*} in the
 * environment; bound and checked when the application starts, only when a push gateway is named. A gateway that
 * is not a URL is refused without repeating it: it may hold a password.
 *
 * @param pushgateway  the Prometheus push gateway's URL, {@code http://pushgateway:9091}
 * @param pushInterval how often a command that runs longer pushes before its last push, at its end
 * @param instance     the process's own group label, if any: a worker's name ({@code paperrun worker} sets
 *                     {@code worker-<host name>} when none is given)
 */
@ConfigurationProperties("paperrun.metrics")
public record MetricsSettings(
        String pushgateway, @DefaultValue("PT1M") Duration pushInterval, String instance) {

    private static final Pattern URL = Pattern.compile("https?://[^/?#\\s]+(/[^?#\\s]*)?");

    public MetricsSettings {
        if (pushgateway == null || !URL.matcher(pushgateway).matches()) {
            throw new IllegalArgumentException("PAPERRUN_METRICS_PUSHGATEWAY must be the push gateway's http or "
                    + "https URL, such as http://pushgateway:9091");
        }
        instance = instance == null || instance.isBlank() ? null : instance;
        if (pushInterval.isNegative() || pushInterval.isZero()) {
            throw new IllegalArgumentException("PAPERRUN_METRICS_PUSH_INTERVAL must be longer than 0");
        }
    }

    public URI gateway() {
        return URI.create(pushgateway);
    }
}
