package io.paperrun.batch;

import java.net.URI;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The message broker that hands partitions to {@code paperrun worker} processes, {@code paperrun.broker.*}, set by
 * {@code PAPERRUN_BROKER_*} in the environment. Without a URL, partitions run in the launching process. A URL that
 * is not AMQP is refused without repeating it: it may hold a password.
 *
 * @param url          the broker's AMQP URL, {@code amqp://user:password@host:5672/vhost}
 * @param queue        the queue of partition requests; installations that share a broker each name their own
 * @param pollInterval how often a launching process reads its partitions' states from the job repository
 * @param workerPartitions partitions a worker process runs side by side
 * @param workerDrain  how long a stopped worker lets its running partitions finish before it hands them back
 */
@ConfigurationProperties("paperrun.broker")
public record BrokerSettings(
        String url,
        @DefaultValue("paperrun.partitions") String queue,
        @DefaultValue("PT1S") Duration pollInterval,
        @DefaultValue("2") int workerPartitions,
        @DefaultValue("PT90S") Duration workerDrain) {

    public BrokerSettings {
        if (url != null && !url.isBlank() && !url.matches("amqps?://[^\\s]+")) {
            throw new IllegalArgumentException(
                    "PAPERRUN_BROKER_URL must be the broker's amqp or amqps URL, such as amqp://user:secret@rabbitmq:5672");
        }
        if (queue.isBlank()) {
            throw new IllegalArgumentException("PAPERRUN_BROKER_QUEUE must not be empty");
        }
        if (pollInterval.isNegative() || pollInterval.isZero()) {
            throw new IllegalArgumentException("PAPERRUN_BROKER_POLL_INTERVAL must be longer than 0");
        }
        if (workerPartitions < 1) {
            throw new IllegalArgumentException("PAPERRUN_BROKER_WORKER_PARTITIONS must be at least 1");
        }
        if (workerDrain.isNegative()) {
            throw new IllegalArgumentException("PAPERRUN_BROKER_WORKER_DRAIN must not be negative");
        }
    }

    /** Whether a broker is named. */
    public boolean configured() {
        return url != null && !url.isBlank();
    }

    public URI uri() {
        return URI.create(url);
    }
}
