package io.paperrun.order;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * The order sync's settings, {@code paperrun.order-sync.*} ({@code PAPERRUN_ORDER_SYNC_*} in the environment).
 *
 * @param overlap how far before its checkpoint a provider sync asks again, for orders that share the checkpoint's
 *     time or were indexed late; orders read twice are stored once (by provider id)
 */
@Validated
@ConfigurationProperties("paperrun.order-sync")
public record OrderSyncSettings(Duration overlap) {

    public OrderSyncSettings {
        overlap = overlap == null ? Duration.ofMinutes(10) : overlap;
        if (overlap.isNegative()) {
            throw new IllegalArgumentException("paperrun.order-sync.overlap must not be negative, not " + overlap);
        }
    }
}
