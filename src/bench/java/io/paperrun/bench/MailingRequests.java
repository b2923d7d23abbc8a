package io.paperrun.bench;

import io.paperrun.integration.lob.FakeLob;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;

/**
 * A fake Lob's requests, passed on to it, with when each request to the postcards endpoint came and whether the
 * fake's limiter answered it 429; their use of the fake's windows ({@link FakeLob#POSTCARD_WINDOW}, from the epoch).
 */
final class MailingRequests extends Dispatcher {

    /**
     * The postcards endpoint's requests, those answered 429, the seconds from the first to the last, the windows
     * they fell in, the windows between the first and the last (full), the share of the limit those let through, and
     * the most and the fewest let through in one of them (the most: in any window).
     */
    record Usage(
            long requests,
            long throttled,
            double firstToLastSeconds,
            int windows,
            int fullWindows,
            double fullWindowShare,
            int busiestWindow,
            int quietestFullWindow) {

        long answered() {
            return requests - throttled;
        }
    }

    private record Arrival(long epochMillis, boolean throttled) {}

    private final FakeLob lob;
    private final ConcurrentLinkedQueue<Arrival> arrivals = new ConcurrentLinkedQueue<>();

    MailingRequests(FakeLob lob) {
        this.lob = lob;
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
        long now = System.currentTimeMillis();
        MockResponse response = lob.dispatch(request);
        if (request.getUrl().encodedPath().startsWith("/v1/postcards")) {
            arrivals.add(new Arrival(now, response.getCode() == 429));
        }
        return response;
    }

    /** The requests so far, by the fake's windows. */
    Usage usage() {
        List<Arrival> all = new ArrayList<>(arrivals);
        if (all.isEmpty()) {
            return new Usage(0, 0, 0, 0, 0, Double.NaN, 0, 0);
        }
        long window = FakeLob.POSTCARD_WINDOW.toMillis();
        Map<Long, Integer> answeredByWindow = new TreeMap<>();
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        long throttled = 0;
        for (Arrival arrival : all) {
            first = Math.min(first, arrival.epochMillis());
            last = Math.max(last, arrival.epochMillis());
            long w = Math.floorDiv(arrival.epochMillis(), window);
            answeredByWindow.merge(w, arrival.throttled() ? 0 : 1, Integer::sum);
            throttled += arrival.throttled() ? 1 : 0;
        }
        long firstWindow = Math.floorDiv(first, window);
        long lastWindow = Math.floorDiv(last, window);
        int fullWindows = (int) Math.max(0, lastWindow - firstWindow - 1);
        long inFull = 0;
        int quietest = Integer.MAX_VALUE;
        for (long w = firstWindow + 1; w < lastWindow; w++) {
            int answered = answeredByWindow.getOrDefault(w, 0);
            inFull += answered;
            quietest = Math.min(quietest, answered);
        }
        int busiest = answeredByWindow.values().stream()
                .mapToInt(Integer::intValue)
                .max()
                .orElse(0);
        return new Usage(
                all.size(),
                throttled,
                (last - first) / 1e3,
                (int) (lastWindow - firstWindow + 1),
                fullWindows,
                fullWindows == 0 ? Double.NaN : inFull / ((double) fullWindows * FakeLob.POSTCARD_LIMIT),
                busiest,
                fullWindows == 0 ? 0 : quietest);
    }
}
