package io.paperrun.recipient;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * recipient-sync's settings, {@code paperrun.recipient-sync.*} ({@code PAPERRUN_RECIPIENT_SYNC_*}).
 *
 * @param overlap how far before its checkpoint a segment sync asks again, for members who joined in the
 *     checkpoint's second or were indexed late; a member read twice is created once
 */
@ConfigurationProperties("paperrun.recipient-sync")
public record RecipientSyncSettings(Duration overlap) {

    public RecipientSyncSettings {
        overlap = overlap == null ? Duration.ofMinutes(10) : overlap;
        if (overlap.isNegative()) {
            throw new IllegalArgumentException("paperrun.recipient-sync.overlap must not be negative, not " + overlap);
        }
    }
}
