package io.paperrun.integration.csv;

import io.paperrun.order.OrderReading;
import io.paperrun.order.OrderSource;
import io.paperrun.order.OrderSourceFactory;
import io.paperrun.proofing.DiscountCodeSource;
import io.paperrun.recipient.AudienceReading;
import io.paperrun.recipient.AudienceSource;
import io.paperrun.recipient.AudienceSourceFactory;
import io.paperrun.recipient.DoNotMailSource;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * The csv provider's sources: orders, recipients, do-not-mail entries and unique discount codes from the file a job's {@code file}
 * parameter names.
 */
public final class CsvSourceFactories {

    private CsvSourceFactories() {}

    @Component
    public static class Orders implements OrderSourceFactory {
        @Override
        public String provider() {
            return "csv";
        }

        @Override
        public OrderSource open(OrderReading reading) {
            return new CsvOrderSource(reading);
        }
    }

    @Component
    public static class Audiences implements AudienceSourceFactory {
        @Override
        public String provider() {
            return "csv";
        }

        @Override
        public AudienceSource open(AudienceReading reading) {
            return new CsvAudienceSource(reading);
        }
    }

    @Component
    public static class DoNotMail implements DoNotMailSource.Factory {
        @Override
        public DoNotMailSource open(Map<String, String> parameters) {
            return new CsvDoNotMailSource(parameters);
        }
    }

    @Component
    public static class DiscountCodes implements DiscountCodeSource.Factory {
        @Override
        public DiscountCodeSource open(Map<String, String> parameters) {
            return new CsvDiscountCodeSource(parameters);
        }
    }
}
