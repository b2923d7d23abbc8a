package io.paperrun.batch;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Timer;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.paperrun.support.DatabaseTest;
import io.paperrun.support.PaperRunProcess;
import io.paperrun.support.TestDatabase;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Spring Batch's metrics go to a Prometheus push gateway when {@code PAPERRUN_METRICS_PUSHGATEWAY} names one: each
 * job's series to its own group, when the command ends; a fake gateway (MockWebServer) takes them.
 */
class MetricsPushTest extends DatabaseTest {

    @TempDir
    Path dir;

    @Test
    void aCommandThatRanAJobPushesItsMetricsToTheGatewayWhenItEnds() throws Exception {
        applySample();
        importSampleRecipients();
        importSampleOrders();
        try (MockWebServer gateway = gateway()) {
            PaperRunProcess.Exit exit = paperrun(
                    Map.of("PAPERRUN_METRICS_PUSHGATEWAY", gateway.url("/").toString()),
                    "run",
                    "attribution-processing");

            assertThat(exit.code()).as(exit.err()).isZero();
            assertThat(exit.err()).isEmpty();
            assertThat(gateway.getRequestCount()).isEqualTo(1);
            RecordedRequest push = gateway.takeRequest(1, TimeUnit.SECONDS);
            assertThat(push.getMethod()).isEqualTo("PUT");
            assertThat(push.getUrl().encodedPath()).isEqualTo("/metrics/job/paperrun/batch_job/attribution-processing");
            assertThat(push.getHeaders().get("Content-Type")).isEqualTo("text/plain; version=0.0.4; charset=utf-8");
            String body = push.getBody().utf8();
            assertThat(body)
                    .contains("# TYPE spring_batch_job_seconds summary\n")
                    .contains("spring_batch_job_seconds_count{error=\"none\",spring_batch_job_name="
                            + "\"attribution-processing\",spring_batch_job_status=\"COMPLETED\"} 1\n")
                    // the steps, the partitions' workers among them, and their items
                    .contains("spring_batch_step_name=\"attribution-processing-requeue\"")
                    .contains("spring_batch_step_name=\"attribution-processing-decide\"")
                    .contains("spring_batch_step_name=\"attribution-processing-decide:partition0\"")
                    .contains("spring_batch_step_name=\"attribution-processing-decide:partition1\"")
                    .containsPattern("spring_batch_item_read_seconds_count\\{[^}]*"
                            + "spring_batch_item_read_step_name=\"attribution-processing-decide:partition0\"\\} \\d+");
            assertThat(body.lines().filter(line -> !line.startsWith("#")))
                    .allSatisfy(line -> assertThat(line).contains("job_name=\"attribution-processing\""));
        }
    }

    @Test
    void withNoGatewayNamedNothingIsMeasuredNorSent() {
        assertThat(context.getBeanProvider(MetricsPush.class).getIfAvailable()).isNull();
        assertThat(context.getBeanProvider(PrometheusMeterRegistry.class).getIfAvailable())
                .isNull();
        assertThat(context.getBeanProvider(ObservationRegistry.class).getIfAvailable())
                .isNull();
    }

    @Test
    void aGatewayThatIsNotAnHttpUrlIsABadSettingSaidWithoutRepeatingIt() throws Exception {
        PaperRunProcess.Exit exit =
                paperrun(Map.of("PAPERRUN_METRICS_PUSHGATEWAY", "ops:s3cret@pushgateway:9091"), "executions");

        assertThat(exit.code()).isEqualTo(2);
        assertThat(exit.err().strip())
                .startsWith("paperrun: could not start")
                .endsWith("PAPERRUN_METRICS_PUSHGATEWAY must be the push gateway's http or https URL, such as "
                        + "http://pushgateway:9091")
                .doesNotContain("s3cret");
    }

    @Test
    void eachJobsSeriesGoToItsOwnGroupUnderTheGatewaysPathWithItsCredentials() throws Exception {
        PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        Timer.builder("spring.batch.job")
                .tag("spring.batch.job.name", "order-sync")
                .register(meters)
                .record(Duration.ofSeconds(2));
        Timer.builder("spring.batch.job")
                .tag("spring.batch.job.name", "proofing")
                .register(meters)
                .record(Duration.ofSeconds(3));
        Timer.builder("spring.batch.step")
                .tag("spring.batch.step.job.name", "proofing")
                .tag("spring.batch.step.name", "proofing-proof")
                .register(meters)
                .record(Duration.ofSeconds(1));
        meters.counter("unrelated").increment();
        try (MockWebServer gateway = gateway()) {
            URI url = URI.create(gateway.url("/prefix/").toString().replace("://", "://ops:s%40cret@"));

            new MetricsPush(url, meters, Duration.ofHours(1)).close();

            assertThat(gateway.getRequestCount()).isEqualTo(2);
            Map<String, String> bodies = new HashMap<>();
            for (int i = 0; i < 2; i++) {
                RecordedRequest push = gateway.takeRequest(1, TimeUnit.SECONDS);
                assertThat(push.getHeaders().get("Authorization"))
                        .isEqualTo("Basic "
                                + Base64.getEncoder().encodeToString("ops:s@cret".getBytes(StandardCharsets.UTF_8)));
                bodies.put(push.getUrl().encodedPath(), push.getBody().utf8());
            }
            assertThat(bodies)
                    .containsOnlyKeys(
                            "/prefix/metrics/job/paperrun/batch_job/order-sync",
                            "/prefix/metrics/job/paperrun/batch_job/proofing");
            String orderSync = bodies.get("/prefix/metrics/job/paperrun/batch_job/order-sync");
            assertThat(orderSync)
                    .contains("spring_batch_job_seconds_count{spring_batch_job_name=\"order-sync\"} 1\n")
                    .doesNotContain("proofing")
                    .doesNotContain("spring_batch_step")
                    .doesNotContain("unrelated");
            assertThat(bodies.get("/prefix/metrics/job/paperrun/batch_job/proofing"))
                    .contains("spring_batch_job_seconds_count{spring_batch_job_name=\"proofing\"} 1\n")
                    .contains("# TYPE spring_batch_step_seconds summary\n")
                    .contains("spring_batch_step_seconds_count{spring_batch_step_job_name=\"proofing\","
                            + "spring_batch_step_name=\"proofing-proof\"} 1\n")
                    .doesNotContain("order-sync");
        }
    }

    @Test
    void aWorkersSeriesGoToItsOwnInstanceOfTheJobsGroup() throws Exception {
        PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        Timer.builder("spring.batch.step")
                .tag("spring.batch.step.job.name", "attribution-processing")
                .tag("spring.batch.step.name", "attribution-processing-decide")
                .register(meters)
                .record(Duration.ofSeconds(1));
        try (MockWebServer gateway = gateway()) {
            new MetricsPush(gateway.url("/").uri(), "worker-node 7", meters, Duration.ofHours(1)).close();

            RecordedRequest push = gateway.takeRequest(1, TimeUnit.SECONDS);
            assertThat(push.getUrl().encodedPath())
                    .isEqualTo("/metrics/job/paperrun/batch_job/attribution-processing/instance/worker-node%207");
            assertThat(push.getBody().utf8()).contains("spring_batch_step_name=\"attribution-processing-decide\"");
        }
    }

    @Test
    void aGatewayThatRefusesThePushDoesNotFailTheCommand() throws Exception {
        PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        Timer.builder("spring.batch.job")
                .tag("spring.batch.job.name", "order-sync")
                .register(meters)
                .record(Duration.ofSeconds(2));
        try (MockWebServer gateway = new MockWebServer()) {
            gateway.enqueue(new MockResponse.Builder()
                    .code(400)
                    .body("pushed metrics are invalid or inconsistent")
                    .build());
            gateway.start();

            new MetricsPush(gateway.url("/").uri(), meters, Duration.ofHours(1)).close();

            assertThat(gateway.getRequestCount()).isEqualTo(1);
        }
    }

    /** A push gateway that takes every push, as a real one does ({@code 200 OK}). */
    private static MockWebServer gateway() throws IOException {
        MockWebServer gateway = new MockWebServer();
        gateway.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return new MockResponse.Builder().code(200).build();
            }
        });
        gateway.start();
        return gateway;
    }

    private PaperRunProcess.Exit paperrun(Map<String, String> env, String... args) throws Exception {
        Map<String, String> all = new HashMap<>(env);
        all.put("SPRING_DATASOURCE_URL", TestDatabase.jdbcUrl());
        all.put("SPRING_DATASOURCE_USERNAME", "postgres");
        all.put("PAPERRUN_DATA_DIR", dir.resolve("data").toString());
        return PaperRunProcess.run(dir, all, List.of(), args);
    }
}
