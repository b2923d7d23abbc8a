package io.paperrun;

import io.paperrun.batch.BatchSettings;
import io.paperrun.batch.BrokerSettings;
import io.paperrun.order.OrderSyncSettings;
import io.paperrun.recipient.RecipientSyncSettings;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;

/**
 * The Spring application behind every command. It is started by {@link PaperRun}
 * once the command line has been parsed, never by Boot's own runner.
 */
@SpringBootApplication
@EnableConfigurationProperties({
    BatchSettings.class,
    BrokerSettings.class,
    OrderSyncSettings.class,
    RecipientSyncSettings.class
})
public class PaperRunApplication {}
