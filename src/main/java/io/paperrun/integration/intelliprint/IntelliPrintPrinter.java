package io.paperrun.integration.intelliprint;

import io.paperrun.integration.http.Backoff;
import io.paperrun.integration.http.ProviderHttpClient;
import io.paperrun.integration.http.RetryAfter;
import io.paperrun.integration.http.Sleeper;
import io.paperrun.mailing.DeliveryStatus;
import io.paperrun.mailing.MailingAddress;
import io.paperrun.mailing.Piece;
import io.paperrun.mailing.PieceRefusedException;
import io.paperrun.mailing.PieceTracking;
import io.paperrun.mailing.Printer;
import io.paperrun.mailing.SentPiece;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Creates postcards with IntelliPrint ({@code POST /v1/prints}, JSON, confirmed, the piece's key as
 * {@code reference}) and reads their letters' status ({@code GET /v1/prints/{id}}), providers.md §3. IntelliPrint
 * has no idempotency keys, so a create is never repeated blindly: after any failure that may have reached it, and
 * before settling, the job is looked up by its reference, and created only if there is none.
 */
final class IntelliPrintPrinter implements Printer {

    /** Jobs read per page of the lookup by reference. */
    static final int PAGE_SIZE = 100;

    /** Pages read before the lookup gives up, should IntelliPrint not filter by reference [U]. */
    static final int MAX_PAGES = 10;

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final MediaType APPLICATION_JSON = MediaType.get("application/json");

    private final ProviderHttpClient client;
    private final HttpUrl prints;
    private final Backoff backoff;
    private final Sleeper sleeper;

    IntelliPrintPrinter(ProviderHttpClient client, HttpUrl prints, Backoff backoff, Sleeper sleeper) {
        this.client = client;
        this.prints = prints;
        this.backoff = backoff;
        this.sleeper = sleeper;
    }

    @Override
    public String name() {
        return IntelliPrintPrinters.PROVIDER;
    }

    @Override
    public SentPiece send(Piece piece) throws IOException {
        return create(piece, false);
    }

    /** The job IntelliPrint has under the piece's reference, else one created now. */
    @Override
    public SentPiece settle(Piece piece) throws IOException {
        return create(piece, true);
    }

    private SentPiece create(Piece piece, boolean lookFirst) throws IOException {
        String envelope = envelope(piece);
        RequestBody body = RequestBody.create(job(piece, envelope), APPLICATION_JSON);
        String failure = null;
        for (int attempt = 1; ; attempt++) {
            if (lookFirst || attempt > 1) {
                Optional<SentPiece> existing = find(piece.idempotencyKey());
                if (existing.isPresent()) {
                    return existing.get();
                }
            }
            Request request = new Request.Builder().url(prints).post(body).build();
            Answer answer;
            try (Response response = client.execute(request)) {
                answer = new Answer(response.code(), response.body().string(), response.header("Retry-After"));
            } catch (IOException maybeSent) {
                answer = null;
                failure = maybeSent.getClass().getSimpleName();
            }
            Duration retryAfter = Duration.ZERO;
            if (answer != null) {
                int status = answer.status();
                if (status >= 200 && status < 300) {
                    return sentPiece(client.json(request, answer.body()), request);
                }
                if (status == 401 || status == 403) {
                    throw failure(
                            request, answer, "IntelliPrint refused the API key (integrations.intelliprint.api_key)");
                }
                if (status == 400 || status == 422) {
                    throw new PieceRefusedException(client.redaction()
                            .text(message(answer.body()).orElse("IntelliPrint refused the postcard (" + status + ")")));
                }
                if (status != 429 && status < 500) {
                    throw failure(request, answer, "IntelliPrint did not create the postcard");
                }
                failure = "status " + status;
                retryAfter =
                        RetryAfter.parse(answer.retryAfter(), sleeper.now()).orElse(Duration.ZERO);
            }
            if (attempt >= backoff.maxAttempts()) {
                throw new IOException(client.redaction().describe(request) + ": gave up after " + attempt
                        + " attempts, last " + failure + "; the job is looked up by reference before any other");
            }
            Duration delay =
                    backoff.delayAfter(attempt, ThreadLocalRandom.current().nextDouble());
            pause(retryAfter.compareTo(delay) > 0 ? retryAfter : delay, request);
        }
    }

    /** A create's answer, read whole. */
    private record Answer(int status, String body, String retryAfter) {}

    /** The failure for an answer not to retry: method, redacted URL, status, {@code what} and IntelliPrint's code. */
    private IOException failure(Request request, Answer answer, String what) {
        return new IOException(client.redaction().describe(request) + ": status " + answer.status() + ", "
                + client.redaction().text(what + code(answer.body())));
    }

    /**
     * The job whose {@code reference} is {@code reference}: the list filtered by reference, each item's reference
     * checked (the filter is not confirmed), paged by {@code skip} up to {@link #MAX_PAGES} pages. Lists longer than
     * that fail, since a job past them could not be ruled out and a second create would print twice.
     */
    Optional<SentPiece> find(String reference) throws IOException {
        for (int page = 0; page < MAX_PAGES; page++) {
            Request request = new Request.Builder()
                    .url(prints.newBuilder()
                            .addQueryParameter("reference", reference)
                            .addQueryParameter("limit", Integer.toString(PAGE_SIZE))
                            .addQueryParameter("skip", Integer.toString(page * PAGE_SIZE))
                            .build())
                    .get()
                    .build();
            String answer;
            try (Response response = client.execute(request)) {
                answer = response.body().string();
                if (response.code() == 401 || response.code() == 403) {
                    throw client.failure(
                            response,
                            "IntelliPrint refused the API key (integrations.intelliprint.api_key)" + code(answer));
                }
                if (!response.isSuccessful()) {
                    throw client.failure(response, "IntelliPrint did not list the jobs" + code(answer));
                }
            }
            JsonNode list = client.json(request, answer);
            for (JsonNode job : list.path("data")) {
                if (reference.equals(text(job.path("reference")))) {
                    return Optional.of(sentPiece(job, request));
                }
            }
            if (!list.path("has_more").asBoolean(false)) {
                return Optional.empty();
            }
        }
        throw new IOException("IntelliPrint listed more than " + MAX_PAGES * PAGE_SIZE
                + " jobs without one of reference " + reference
                + "; not creating one, since a job past them cannot be ruled out");
    }

    @Override
    public PieceTracking track(String providerPieceId) throws IOException {
        Request request = new Request.Builder()
                .url(prints.newBuilder().addPathSegment(providerPieceId).build())
                .get()
                .build();
        String answer;
        try (Response response = client.execute(request)) {
            answer = response.body().string();
            if (response.code() == 401 || response.code() == 403) {
                throw client.failure(
                        response,
                        "IntelliPrint refused the API key (integrations.intelliprint.api_key)" + code(answer));
            }
            if (!response.isSuccessful()) {
                throw client.failure(response, "IntelliPrint did not read the job" + code(answer));
            }
        }
        return tracking(client.json(request, answer), sleeper.now());
    }

    /**
     * What the job's first letter says: draft to shipping not yet in the mail, sent in transit, returned and
     * failed_wrong_address returned to sender, cancelled finished without a status. IntelliPrint reports no
     * delivery, so there is no in-home date. The one event is the status, id {@code <job id>:<status>}, at the
     * letter's or the job's last update, else {@code observed}.
     */
    static PieceTracking tracking(JsonNode job, Instant observed) {
        JsonNode letter = job.path("letters").path(0);
        String status = text(letter.path("status"));
        if (status == null) {
            return new PieceTracking(null, null, false, List.of());
        }
        DeliveryStatus delivery;
        boolean finished;
        switch (status) {
            case "sent" -> {
                delivery = DeliveryStatus.IN_TRANSIT;
                finished = false;
            }
            case "returned", "failed_wrong_address" -> {
                delivery = DeliveryStatus.RETURNED_TO_SENDER;
                finished = true;
            }
            case "cancelled" -> {
                delivery = null;
                finished = true;
            }
            default -> {
                delivery = null;
                finished = false;
            }
        }
        Instant time = Stream.of(instant(letter.path("updated")), instant(job.path("updated")))
                .filter(value -> value != null)
                .findFirst()
                .orElse(observed);
        String id = text(job.path("id"));
        return new PieceTracking(
                delivery, null, finished, List.of(new PieceTracking.Event(id + ":" + status, status, time)));
    }

    /** The create's JSON: a confirmed postcard job of the two-page PDF to one recipient, referenced by the key. */
    static String job(Piece piece, String envelope) throws IOException {
        ObjectNode job = JSON.createObjectNode();
        job.put("type", "postcard");
        job.put("reference", piece.idempotencyKey());
        job.put("confirmed", true);
        ObjectNode file = job.putObject("file");
        file.put("content", Base64.getEncoder().encodeToString(piece.artwork().bothSides()));
        file.put("name", "postcard-" + piece.recipientId() + ".pdf");
        MailingAddress to = piece.to();
        ObjectNode address = job.putArray("recipients").addObject().putObject("address");
        address.put("name", to.name() == null ? "" : to.name().strip());
        address.put(
                "line",
                Stream.of(to.address1(), to.address2(), to.city(), to.region())
                        .filter(line -> line != null && !line.isBlank())
                        .map(String::strip)
                        .collect(Collectors.joining("\n")));
        address.put("postcode", to.zip() == null ? "" : to.zip().strip());
        address.put("country", to.country() == null ? "GB" : to.country().strip());
        ObjectNode postage = job.putObject("postage");
        postage.put(
                "service",
                "uk_first_class".equals(piece.mailType()) || "first_class".equals(piece.mailType())
                        ? "uk_first_class"
                        : "uk_second_class");
        postage.put("ideal_envelope", envelope);
        ObjectNode metadata = job.putObject("metadata");
        metadata.put("recipient", Long.toString(piece.recipientId()));
        if (piece.campaign() != null) {
            metadata.put("campaign", piece.campaign());
        }
        return job.toString();
    }

    private static String envelope(Piece piece) throws PieceRefusedException {
        return switch (piece.size()) {
            case A6 -> "postcard_a6";
            case A5 -> "postcard_a5";
            default ->
                throw new PieceRefusedException("IntelliPrint prints postcards of A6 or A5, not "
                        + piece.size().code());
        };
    }

    private SentPiece sentPiece(JsonNode job, Request request) throws IOException {
        String id = text(job.path("id"));
        if (id == null) {
            throw new IOException(client.redaction().describe(request) + ": the job has no id");
        }
        Instant created = instant(job.path("created"));
        return new SentPiece(id, created == null ? sleeper.now() : created, cost(job.path("cost")));
    }

    /**
     * The job's cost in GBP: IntelliPrint's integer amounts are 10^-8 GBP; {@code cost} is read as a number, or as
     * an object's {@code amount}, else {@code after_tax}, else {@code total}; null when none is there.
     */
    static BigDecimal cost(JsonNode cost) {
        JsonNode amount = cost;
        if (cost.isObject()) {
            amount = Stream.of("amount", "after_tax", "total")
                    .map(cost::path)
                    .filter(JsonNode::isNumber)
                    .findFirst()
                    .orElse(cost.path("amount"));
        }
        if (!amount.isNumber()) {
            return null;
        }
        BigDecimal pounds = amount.decimalValue().movePointLeft(8).stripTrailingZeros();
        return pounds.scale() < 2 ? pounds.setScale(2) : pounds;
    }

    private void pause(Duration delay, Request request) throws IOException {
        try {
            sleeper.sleep(delay);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            InterruptedIOException interrupted =
                    new InterruptedIOException(client.redaction().describe(request) + ": interrupted");
            interrupted.initCause(e);
            throw interrupted;
        }
    }

    private static String text(JsonNode node) {
        return node.isString() && !node.asString().isBlank() ? node.asString() : null;
    }

    /** A UNIX time in seconds (or milliseconds, when that large), or an ISO date-time. */
    static Instant instant(JsonNode node) {
        if (node.isNumber()) {
            long value = node.asLong();
            return value > 100_000_000_000L ? Instant.ofEpochMilli(value) : Instant.ofEpochSecond(value);
        }
        String text = text(node);
        if (text == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException unreadable) {
            return null;
        }
    }

    /** {@code ": parameter_invalid"}: the code of IntelliPrint's error body, else nothing. */
    private static String code(String body) {
        return error(body, "code").map(code -> ": " + code).orElse("");
    }

    private static Optional<String> message(String body) {
        return error(body, "message");
    }

    /** A field of IntelliPrint's error body {@code {"error": {message, type, code, param}}}. */
    private static Optional<String> error(String body, String field) {
        try {
            return Optional.ofNullable(text(JSON.readTree(body).path("error").path(field)));
        } catch (JacksonException notJson) {
            return Optional.empty();
        }
    }
}
