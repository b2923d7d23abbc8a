package io.paperrun.batch;

import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.util.StringUtils;

/**
 * Spring Batch's Micrometer metrics, only when {@code PAPERRUN_METRICS_PUSHGATEWAY} names a push gateway: an
 * {@link ObservationRegistry} recording into a Prometheus registry, which Spring Boot gives every job and step
 * (and {@link ObservedSteps} the partitions' workers), and the {@link MetricsPush} that sends it. Without a
 * gateway there is no registry: nothing is timed, nothing is sent.
 */
@Configuration(proxyBeanMethods = false)
@Conditional(MetricsPushConfig.GatewayNamed.class)
@EnableConfigurationProperties(MetricsSettings.class)
public class MetricsPushConfig {

    @Bean
    public PrometheusMeterRegistry prometheusMeterRegistry() {
        return new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    }

    @Bean
    public ObservationRegistry observationRegistry(PrometheusMeterRegistry meters) {
        ObservationRegistry registry = ObservationRegistry.create();
        registry.observationConfig().observationHandler(new DefaultMeterObservationHandler(meters));
        return registry;
    }

    /** Closed with the application, after the jobs: its last push. */
    @Bean(destroyMethod = "close")
    public MetricsPush metricsPush(MetricsSettings settings, PrometheusMeterRegistry meters) {
        return new MetricsPush(settings.gateway(), settings.instance(), meters, settings.pushInterval());
    }

    /** {@code paperrun.metrics.pushgateway} is set and not blank. */
    static final class GatewayNamed implements Condition {
        @Override
        public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
            return StringUtils.hasText(context.getEnvironment().getProperty("paperrun.metrics.pushgateway"));
        }
    }
}
