package io.paperrun.batch;

import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * The batch settings, {@code paperrun.batch.*} in application.properties, overridden by {@code PAPERRUN_BATCH_*}
 * in the environment; bound and checked when the application starts.
 *
 * @param chunkSize  items per chunk: one transaction, one set of lookups
 * @param partitions partitions run side by side, each on its own connection
 */
@Validated
@ConfigurationProperties("paperrun.batch")
public record BatchSettings(
        @Min(value = 1, message = "must be at least {value}")
        int chunkSize,

        @Min(value = 1, message = "must be at least {value}")
        int partitions) {}
