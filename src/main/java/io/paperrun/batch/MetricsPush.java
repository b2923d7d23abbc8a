package io.paperrun.batch;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Spring Batch's metrics, pushed to a Prometheus push gateway: a command's process ends before it could be scraped.
 * Each job's series replace, by {@code PUT}, the group {@code job="paperrun", batch_job="<the job>"}: the gateway
 * keeps the last run of every job; a worker's go to that group with {@code instance="<the worker>"}, so that
 * workers and launching processes never replace each other's. Pushed when the application closes and every {@code interval} while it runs.
 * A push that fails is logged, never fails the command.
 */
public final class MetricsPush implements AutoCloseable {

    /** The Prometheus text format, version 0.0.4, which the registry writes and every push gateway reads. */
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    /** The first label of a sample that names a Spring Batch job: {@code spring_batch_step_job_name="order-sync"}. */
    private static final Pattern JOB_LABEL = Pattern.compile("[{,][a-z0-9_]*job_name=\"([^\"\\\\]*)\"");

    private static final Logger log = LoggerFactory.getLogger(MetricsPush.class);

    private final URI gateway;
    private final String instance;
    private final String authorization;
    private final PrometheusMeterRegistry registry;
    private final HttpClient http;
    private final ScheduledExecutorService timer;

    /**
     * Pushes {@code registry} to the push gateway at {@code gateway} ({@code http://host:9091}, maybe with a path
     * prefix, and with {@code user:password@} for basic authentication), every {@code interval} and when closed.
     */
    public MetricsPush(URI gateway, PrometheusMeterRegistry registry, Duration interval) {
        this(gateway, null, registry, interval);
    }

    /** As {@link #MetricsPush(URI, PrometheusMeterRegistry, Duration)}, into groups of {@code instance} if not null. */
    public MetricsPush(URI gateway, String instance, PrometheusMeterRegistry registry, Duration interval) {
        this.instance = instance;
        String userInfo = gateway.getRawUserInfo();
        this.authorization = userInfo == null
                ? null
                : "Basic "
                        + Base64.getEncoder().encodeToString(decoded(userInfo).getBytes(StandardCharsets.UTF_8));
        String path = gateway.getRawPath() == null ? "" : gateway.getRawPath().replaceFirst("/+$", "");
        this.gateway = URI.create(gateway.getScheme() + "://" + gateway.getHost()
                + (gateway.getPort() < 0 ? "" : ":" + gateway.getPort()) + path);
        this.registry = registry;
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1) // what push gateways speak; no h2c upgrade to try first
                .connectTimeout(Duration.ofSeconds(5))
                .build();
        this.timer = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "metrics-push");
            thread.setDaemon(true);
            return thread;
        });
        timer.scheduleAtFixedRate(this::push, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    private static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** Pushes every job's series now; nothing when no job has run. */
    public synchronized void push() {
        byJob(registry.scrape()).forEach(this::push);
    }

    /** The last push, once the jobs are done. */
    @Override
    public void close() {
        timer.shutdown(); // a push under way ends first
        push();
    }

    private void push(String job, String body) {
        URI group = URI.create(gateway + "/metrics/job/paperrun/batch_job/" + segment(job)
                + (instance == null ? "" : "/instance/" + segment(instance)));
        HttpRequest.Builder request = HttpRequest.newBuilder(group)
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", CONTENT_TYPE)
                .PUT(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 != 2) {
                log.warn(
                        "metrics of {} not pushed to {}: HTTP {} {}",
                        job,
                        gateway,
                        response.statusCode(),
                        response.body().lines().findFirst().orElse(""));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            log.warn("metrics of {} not pushed to {}: interrupted", job, gateway);
        } catch (Exception e) {
            log.warn("metrics of {} not pushed to {}: {}", job, gateway, e.toString());
        }
    }

    /**
     * The exposition split by Spring Batch job: each family's help and type, with the samples that name the job.
     * Samples that name no job are left out.
     */
    static Map<String, String> byJob(String exposition) {
        Map<String, StringBuilder> bodies = new TreeMap<>();
        List<String> family = new ArrayList<>();
        Map<String, List<String>> samples = new LinkedHashMap<>();
        boolean inSamples = false;
        for (String line : exposition.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            if (line.startsWith("#")) {
                if (inSamples) {
                    add(family, samples, bodies);
                    inSamples = false;
                }
                family.add(line);
            } else {
                inSamples = true;
                Matcher job = JOB_LABEL.matcher(line);
                if (job.find()) {
                    samples.computeIfAbsent(job.group(1), j -> new ArrayList<>())
                            .add(line);
                }
            }
        }
        add(family, samples, bodies);
        Map<String, String> out = new TreeMap<>();
        bodies.forEach((job, body) -> out.put(job, body.toString()));
        return out;
    }

    private static void add(List<String> family, Map<String, List<String>> samples, Map<String, StringBuilder> bodies) {
        samples.forEach((job, lines) -> {
            StringBuilder body = bodies.computeIfAbsent(job, j -> new StringBuilder());
            family.forEach(line -> body.append(line).append('\n'));
            lines.forEach(line -> body.append(line).append('\n'));
        });
        family.clear();
        samples.clear();
    }

    /** The user information of a URL as typed: {@code user:p%40ss} is {@code user:p@ss}. */
    private static String decoded(String userInfo) {
        return URLDecoder.decode(userInfo.replace("+", "%2B"), StandardCharsets.UTF_8);
    }
}
