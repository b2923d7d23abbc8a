package io.paperrun.integration.ometria;

import io.paperrun.batch.ImportLine;
import io.paperrun.batch.Page;
import io.paperrun.integration.http.ProviderHttpClient;
import io.paperrun.order.IncomingOrder;
import io.paperrun.order.OrderSource;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import okhttp3.HttpUrl;
import okhttp3.Request;
import okhttp3.Response;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * An organization's orders at Ometria, oldest update first, {@link OmetriaOrders#LIMIT} to a page. The cursor is
 * a position by update time (the last update read and how many records at or after it were read), so a change
 * to an order already read moves it later without shifting the orders not read yet.
 */
final class OmetriaOrderSource implements OrderSource {

    private final String organization;
    private final ProviderHttpClient client;
    private final HttpUrl base;

    OmetriaOrderSource(String organization, ProviderHttpClient client, HttpUrl base) {
        this.organization = organization;
        this.client = client;
        this.base = base;
    }

    @Override
    public String provider() {
        return OmetriaOrderSources.PROVIDER;
    }

    @Override
    public String location() {
        return OmetriaOrderSources.PROVIDER + " " + organization;
    }

    @Override
    public Page<IncomingOrder> fetch(Instant since, String cursor) throws IOException {
        Position position = cursor == null ? new Position(since, 0) : Position.parse(cursor);
        List<JsonNode> records = get(OmetriaOrders.url(base, position.since(), position.offset()));
        List<ImportLine<IncomingOrder>> lines =
                records.stream().map(OmetriaOrders::line).toList();
        Position next = records.size() < OmetriaOrders.LIMIT ? null : position.after(records);
        return new Page<>(lines, next == null ? null : next.toString());
    }

    private List<JsonNode> get(HttpUrl url) throws IOException {
        Request request = new Request.Builder().url(url).get().build();
        String body;
        try (Response response = client.execute(request)) {
            if (response.code() == 401 || response.code() == 403) {
                throw client.failure(response, "Ometria refused the credentials (integrations.ometria.api_key)");
            }
            if (!response.isSuccessful()) {
                throw client.failure(response, "Ometria did not list the orders (route assumed: see OmetriaOrders)");
            }
            body = response.body().string();
        }
        try {
            return OmetriaOrders.records(body)
                    .orElseThrow(() -> new IOException(client.redaction().describe(request)
                            + ": the response is neither an array of orders nor an object with a data array"));
        } catch (JacksonException notJson) {
            throw new IOException(client.redaction().describe(request) + ": the response is not JSON", notJson);
        }
    }

    /**
     * Where a page starts: the orders updated at or after {@code since} (null: all), less the first
     * {@code offset} of them, which were read.
     */
    record Position(Instant since, long offset) {

        /** The position after {@code records}, read from this one in Ometria's order. */
        Position after(List<JsonNode> records) {
            Instant last = since;
            long read = offset;
            for (JsonNode record : records) {
                Instant updatedAt = OmetriaOrders.updatedAt(record);
                if (updatedAt != null && (last == null || updatedAt.isAfter(last))) {
                    last = updatedAt;
                    read = 1;
                } else {
                    read++; // at the same time, or unreadable and so no earlier than the last readable one
                }
            }
            return new Position(last, read);
        }

        /** {@code <offset>} or {@code <offset> <since>}. */
        static Position parse(String cursor) {
            String[] parts = cursor.split(" ", 2);
            try {
                return new Position(parts.length == 2 ? Instant.parse(parts[1]) : null, Long.parseLong(parts[0]));
            } catch (NumberFormatException | DateTimeParseException e) {
                throw new IllegalArgumentException("'" + cursor + "' is not a cursor of the Ometria order source");
            }
        }

        @Override
        public String toString() {
            return since == null ? String.valueOf(offset) : offset + " " + since;
        }
    }
}
