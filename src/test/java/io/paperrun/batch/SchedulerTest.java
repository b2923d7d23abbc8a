package io.paperrun.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The scheduler's cadence on a fake clock: launches are recorded, not run. */
class SchedulerTest {

    private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

    /** A clock the test moves. */
    private static final class FakeClock extends Clock {
        Instant now = START;

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }

    private final FakeClock clock = new FakeClock();
    private final List<String> launched = Collections.synchronizedList(new ArrayList<>());
    private final List<String> said = Collections.synchronizedList(new ArrayList<>());

    /** Moves the fake clock second by second to {@code end}, ticking at each. */
    private void runUntil(Scheduler scheduler, Duration end) {
        Instant stop = START.plus(end);
        while (!clock.now.isAfter(stop)) {
            scheduler.tick(clock.now);
            clock.now = clock.now.plusSeconds(1);
        }
    }

    private Scheduler scheduler(Map<String, Cadence> cadences, Scheduler.Launcher launcher) {
        Scheduler scheduler = new Scheduler(cadences, launcher, Runnable::run, clock, new Random(7), said::add);
        scheduler.start(clock.now);
        return scheduler;
    }

    private Scheduler.Launcher recording() {
        return job -> {
            launched.add(job + "@" + Duration.between(START, clock.now).toSeconds());
            return "completed";
        };
    }

    @Test
    void eachJobRunsOnItsCadenceAndAttributionProcessingAfterEachOrderSync() {
        Map<String, Cadence> cadences = new LinkedHashMap<>();
        cadences.put("order-sync", Cadence.parse("PT5M"));
        cadences.put("attribution-processing", new Cadence.After("order-sync"));
        cadences.put("delivery-tracking", Cadence.parse("0 0 * * * *")); // hourly, on the hour
        cadences.put("recipient-sync", Cadence.parse("off"));
        Scheduler scheduler = scheduler(cadences, recording());
        runUntil(scheduler, Duration.ofMinutes(61));
        assertThat(launched.stream().filter(l -> l.startsWith("order-sync")))
                .containsExactly(
                        "order-sync@0",
                        "order-sync@300",
                        "order-sync@600",
                        "order-sync@900",
                        "order-sync@1200",
                        "order-sync@1500",
                        "order-sync@1800",
                        "order-sync@2100",
                        "order-sync@2400",
                        "order-sync@2700",
                        "order-sync@3000",
                        "order-sync@3300",
                        "order-sync@3600");
        // each order-sync is followed, at the next tick, by attribution-processing
        assertThat(launched.stream().filter(l -> l.startsWith("attribution-processing")))
                .hasSize(13)
                .allSatisfy(l -> assertThat(Long.parseLong(l.substring(l.indexOf('@') + 1)) % 300)
                        .isEqualTo(1));
        assertThat(launched.stream().filter(l -> l.startsWith("delivery-tracking")))
                .containsExactly("delivery-tracking@3600");
        assertThat(launched).noneMatch(l -> l.startsWith("recipient-sync"));
    }

    @Test
    void proofingAndMailingAreJitteredBetweenSevenAndFifteenSeconds() {
        Cadence jittered = new Cadence.Jittered(Duration.ofSeconds(7), Duration.ofSeconds(15));
        Scheduler scheduler = scheduler(Map.of("proofing", jittered, "mailing", jittered), recording());
        runUntil(scheduler, Duration.ofHours(1));
        for (String job : List.of("proofing", "mailing")) {
            List<Long> times = launched.stream()
                    .filter(l -> l.startsWith(job + "@"))
                    .map(l -> Long.parseLong(l.substring(l.indexOf('@') + 1)))
                    .toList();
            assertThat(times.get(0)).isBetween(7L, 16L);
            List<Long> gaps = new ArrayList<>();
            for (int i = 1; i < times.size(); i++) {
                gaps.add(times.get(i) - times.get(i - 1));
            }
            // one-second ticks: a gap drawn between 7 and 15 s is seen as 7 to 16 s
            assertThat(gaps).allSatisfy(gap -> assertThat(gap).isBetween(7L, 16L));
            assertThat(gaps.stream().distinct().count())
                    .as("jittered, not fixed")
                    .isGreaterThan(3);
            assertThat(times).hasSizeBetween(3600 / 16, 3600 / 7);
        }
    }

    @Test
    void aFailedRunIsSaidAndTriedAgainAtItsNextTick() {
        int[] calls = {0};
        Scheduler scheduler = scheduler(Map.of("order-sync", Cadence.parse("PT5M")), job -> {
            calls[0]++;
            if (calls[0] == 1) {
                throw new IllegalStateException("database unreachable\nsecond line");
            }
            return "execution 2 completed";
        });
        runUntil(scheduler, Duration.ofMinutes(5));
        assertThat(calls[0]).isEqualTo(2);
        assertThat(said)
                .containsExactly(
                        "order-sync: could not run: database unreachable; tried again at its next tick "
                                + "(next: 2026-01-01T00:05:00Z)",
                        "order-sync: execution 2 completed (next: 2026-01-01T00:10:00Z)");
    }

    @Test
    void aJobStillRunningAtItsNextTickIsNotStartedTwice() throws Exception {
        ExecutorService threads = Executors.newCachedThreadPool();
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch started = new CountDownLatch(1);
        List<String> runs = Collections.synchronizedList(new ArrayList<>());
        Scheduler scheduler = new Scheduler(
                Map.of("mailing", Cadence.parse("PT10S")),
                job -> {
                    runs.add(job);
                    started.countDown();
                    release.await(10, TimeUnit.SECONDS);
                    return "completed";
                },
                threads,
                clock,
                new Random(1),
                said::add);
        scheduler.start(clock.now);
        scheduler.tick(clock.now);
        assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
        clock.now = clock.now.plusSeconds(10);
        scheduler.tick(clock.now);
        clock.now = clock.now.plusSeconds(10);
        scheduler.tick(clock.now);
        assertThat(runs).containsExactly("mailing");
        assertThat(said).filteredOn(l -> l.contains("still running")).hasSize(2);
        release.countDown();
        for (int i = 0; i < 500 && !scheduler.running().isEmpty(); i++) {
            Thread.sleep(10);
        }
        assertThat(scheduler.running()).isEmpty();
        clock.now = clock.now.plusSeconds(10);
        scheduler.tick(clock.now);
        threads.shutdown();
        assertThat(threads.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
        assertThat(runs).containsExactly("mailing", "mailing");
    }

    @Test
    void afterStopNothingMoreIsLaunched() {
        Scheduler scheduler = scheduler(Map.of("order-sync", Cadence.parse("PT5M")), recording());
        scheduler.tick(clock.now);
        scheduler.stop();
        clock.now = clock.now.plus(Duration.ofMinutes(10));
        scheduler.tick(clock.now);
        assertThat(launched).containsExactly("order-sync@0");
    }

    @Test
    void settingsAreCronDurationsOrOffAndBadOnesAreNamed() {
        assertThat(Cadence.parse("off")).isInstanceOf(Cadence.Off.class);
        assertThat(Cadence.parse("PT5M")).isEqualTo(new Cadence.Every(Duration.ofMinutes(5)));
        // five fields are minute first; six are second first
        assertThat(Cadence.parse("*/15 * * * *").next(START.plusSeconds(1), new Random()))
                .hasValue(START.plus(Duration.ofMinutes(15)));
        assertThat(Cadence.parse("30 0 6 * * *").next(START, new Random())).hasValue(START.plusSeconds(6 * 3600 + 30));
        assertThat(Cadence.parse("@daily").next(START, new Random())).hasValue(START.plus(Duration.ofDays(1)));
        assertThatThrownBy(() -> Cadence.parse("every five minutes"))
                .hasMessageStartingWith("'every five minutes' is not a cron expression, an ISO-8601 duration");
        assertThatThrownBy(() -> Cadence.parse("PT5X")).hasMessage("'PT5X' is not an ISO-8601 duration (e.g. PT5M)");
        assertThatThrownBy(() -> Cadence.parse("PT0S")).hasMessageContaining("longer than zero");

        JobCatalog catalog = io.paperrun.PaperRunJobs.CATALOG;
        Map<String, Cadence> defaults = ScheduleSettings.resolve(catalog, name -> null);
        assertThat(defaults.get("order-sync")).isEqualTo(new Cadence.Every(Duration.ofMinutes(5)));
        assertThat(defaults.get("attribution-processing")).isEqualTo(new Cadence.After("order-sync"));
        assertThat(defaults.get("proofing"))
                .isEqualTo(new Cadence.Jittered(Duration.ofSeconds(7), Duration.ofSeconds(15)));
        assertThat(defaults.get("recipient-sync")).isEqualTo(new Cadence.Every(Duration.ofMinutes(15)));
        assertThat(defaults.get("delivery-tracking")).isEqualTo(new Cadence.Every(Duration.ofHours(1)));
        assertThat(defaults.get("attribution-rerun")).isInstanceOf(Cadence.Off.class);
        assertThat(defaults.get("address-enrichment").next(START, new Random()))
                .hasValue(START.plus(Duration.ofHours(6)));
        assertThat(defaults.get("experiment-report").next(START, new Random()))
                .hasValue(START.plus(Duration.ofHours(5)));

        Map<String, Cadence> set =
                ScheduleSettings.resolve(catalog, name -> name.equals("paperrun.schedule.order-sync") ? "PT10M" : null);
        assertThat(set.get("order-sync")).isEqualTo(new Cadence.Every(Duration.ofMinutes(10)));
        assertThatThrownBy(() -> ScheduleSettings.resolve(
                        catalog, name -> name.equals("paperrun.schedule.mailing") ? "sometimes" : null))
                .hasMessageStartingWith("PAPERRUN_SCHEDULE_MAILING: 'sometimes' is not a cron expression");
        assertThatThrownBy(() -> ScheduleSettings.resolve(
                        catalog, name -> name.equals("paperrun.schedule.attribution-rerun") ? "PT1H" : null))
                .hasMessage("PAPERRUN_SCHEDULE_ATTRIBUTION_RERUN: attribution-rerun cannot be scheduled: it needs "
                        + "parameters (run it with paperrun run)");
    }
}
